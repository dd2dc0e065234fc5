//! A response body written by blocking code as it goes (the research export): the work runs
//! on the blocking pool and hands the body over in chunks through a small channel, so a large
//! export is never held in memory and a slow client slows the export down instead of piling
//! it up.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

/// Bytes sent to the client at a time.
const CHUNK: usize = 64 * 1024;
/// Chunks that may wait for the client.
const QUEUE: usize = 8;

/// The writing end: a [`Write`] that sends full chunks to the response.
pub struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "de download is afgebroken"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The reading end, as the response body.
struct Body(mpsc::Receiver<io::Result<Bytes>>);

impl futures_core::Stream for Body {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// A staff download whose body `work` writes on the blocking pool, never stored by the
/// browser ([`super::http::NO_STORE`]). When `work` fails half-way the response is broken off
/// (the client sees an incomplete download, never a wrong file).
pub fn download<E: std::fmt::Display>(
    content_type: &str,
    file_name: &str,
    work: impl FnOnce(&mut ChannelWriter) -> Result<(), E> + Send + 'static,
) -> HttpResponse {
    let (tx, rx) = mpsc::channel(QUEUE);
    let failed = tx.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let mut writer = ChannelWriter {
            tx,
            buffer: Vec::with_capacity(CHUNK),
        };
        let result = work(&mut writer)
            .map_err(|e| e.to_string())
            .and_then(|()| writer.flush().map_err(|e| e.to_string()));
        if let Err(e) = result {
            tracing::warn!(error = %e, "a download was broken off");
            let _ = failed.blocking_send(Err(io::Error::other(e)));
        }
    });
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .insert_header(super::http::NO_STORE)
        .streaming(Body(rx))
}
