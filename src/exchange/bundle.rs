//! Several files as one zip (the campaign kit): paths with `/` for folders, compressed, in
//! the order given. The entries carry no time of their own (the zip format's 1980 default), so
//! the same kit gives the same bytes.

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

/// One file of a bundle.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
#[error("the zip could not be written: {0}")]
pub struct BundleError(String);

pub fn zip(files: &[BundleFile]) -> Result<Vec<u8>, BundleError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for file in files {
        zip.start_file(file.path.as_str(), options)
            .map_err(|e| BundleError(e.to_string()))?;
        zip.write_all(&file.bytes)
            .map_err(|e| BundleError(e.to_string()))?;
    }
    let cursor = zip.finish().map_err(|e| BundleError(e.to_string()))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_files_come_back_out_in_order_and_the_bytes_are_stable() {
        let files = vec![
            BundleFile {
                path: "kit/nl/leesmij.txt".into(),
                bytes: "één tekst".as_bytes().to_vec(),
            },
            BundleFile {
                path: "kit/qr.svg".into(),
                bytes: b"<svg/>".to_vec(),
            },
        ];
        let bytes = zip(&files).unwrap();
        assert_eq!(bytes, zip(&files).unwrap());
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        for (i, file) in files.iter().enumerate() {
            let mut entry = archive.by_index(i).unwrap();
            assert_eq!(entry.name().unwrap(), file.path);
            let mut read = Vec::new();
            entry.read_to_end(&mut read).unwrap();
            assert_eq!(read, file.bytes);
        }
    }
}
