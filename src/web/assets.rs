//! Self-hosted static files (CSS, a little JavaScript, icons), compiled into the binary.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/"]
// The anonymiser's word lists are compiled into the library, not served.
#[exclude = "anonymise/*"]
// Nor is the safety triage's list of signal words (src/domain/triage.rs).
#[exclude = "triage/*"]
struct AssetFiles;

pub async fn serve(path: web::Path<String>) -> HttpResponse {
    match AssetFiles::get(path.as_str()) {
        Some(file) => {
            let mime = mime_guess::from_path(path.as_str()).first_or_octet_stream();
            HttpResponse::Ok()
                .content_type(mime.as_ref())
                .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
                .insert_header((
                    header::ETAG,
                    format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..8])),
                ))
                .body(file.data.into_owned())
        }
        None => HttpResponse::NotFound().finish(),
    }
}

/// The SHA-256 of a served file, `None` when there is none: the verteltafel's service worker
/// names its cache after the files it keeps, so that a release with other files replaces it.
pub fn content_hash(path: &str) -> Option<[u8; 32]> {
    AssetFiles::get(path).map(|file| file.metadata.sha256_hash())
}

#[cfg(test)]
mod tests {
    use super::AssetFiles;

    #[test]
    fn word_lists_of_the_anonymiser_are_not_served() {
        assert!(AssetFiles::get("app.css").is_some());
        assert!(AssetFiles::get("anonymise/voornamen.txt").is_none());
        assert!(AssetFiles::get("anonymise/niet-namen.txt").is_none());
    }

    #[test]
    fn signal_words_of_the_safety_triage_are_not_served() {
        assert!(AssetFiles::get("app.css").is_some());
        assert!(AssetFiles::get("triage/signalen.txt").is_none());
    }
}
