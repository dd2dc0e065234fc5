//! One span per request in the logs, with a request id so that every line a request writes
//! can be found together. What it records is chosen for privacy: the method, the route
//! *pattern* (`/s/{code}`, never the path itself, which holds join codes, owner links and
//! one-time tokens), the status and the time taken. No client address, no user agent, no
//! query string, no cookie: nothing that points to a teller or a participant.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use std::time::Instant;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

/// The [`RootSpanBuilder`] of Vertelpunt's request log.
pub struct RequestSpan;

/// When the request started, kept on the span's request for the duration.
struct Started(Instant);

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "(geen route)".to_string());
        let id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        request.extensions_mut().insert(Started(Instant::now()));
        tracing::info_span!(
            "request",
            request_id = %id,
            method = %request.method(),
            route = %route,
            status = tracing::field::Empty,
            ms = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, started) = match outcome {
            Ok(response) => (
                response.status().as_u16(),
                response
                    .request()
                    .extensions()
                    .get::<Started>()
                    .map(|s| s.0),
            ),
            Err(error) => (error.as_response_error().status_code().as_u16(), None),
        };
        span.record("status", status);
        if let Some(started) = started {
            span.record("ms", started.elapsed().as_millis() as u64);
        }
        let _entered = span.enter();
        // Every request at debug (RUST_LOG=debug shows them all); what went wrong at info
        // and warn, so the default log stays readable under load.
        match status {
            500.. => tracing::warn!("answered"),
            400..=499 => tracing::info!("answered"),
            _ => tracing::debug!("answered"),
        }
    }
}
