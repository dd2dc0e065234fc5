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

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{test, web, App};
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    /// Collects what the log writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[actix_web::test]
    async fn the_log_names_the_route_and_nothing_that_points_to_a_person() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = test::init_service(
            App::new()
                .wrap(tracing_actix_web::TracingLogger::<RequestSpan>::new())
                .route(
                    "/s/{code}",
                    web::get().to(|| async {
                        tracing::info!("inside the handler");
                        "ok"
                    }),
                ),
        )
        .await;
        let request = test::TestRequest::get()
            .uri("/s/GEHEIMECODE123?naam=Sam")
            .insert_header(("User-Agent", "Testbrowser/1.0"))
            .insert_header(("Cookie", "vp_deelnemer=koekje"))
            .peer_addr("10.1.2.3:5555".parse().expect("address"))
            .to_request();
        let response = test::call_service(&app, request).await;
        assert!(response.status().is_success());
        let log = String::from_utf8(captured.0.lock().expect("log").clone()).expect("utf-8");
        assert!(log.contains("route=/s/{code}"), "{log}");
        assert!(log.contains("method=GET"), "{log}");
        assert!(log.contains("status=200"), "{log}");
        // The handler's own line carries the same request id as the closing line.
        let ids: Vec<&str> = log
            .lines()
            .filter_map(|l| l.split("request_id=").nth(1))
            .filter_map(|rest| rest.split([' ', '}', ':']).next())
            .collect();
        assert!(
            ids.len() >= 2 && ids.iter().all(|id| *id == ids[0]),
            "{log}"
        );
        for private in ["GEHEIMECODE123", "Sam", "Testbrowser", "koekje", "10.1.2.3"] {
            assert!(!log.contains(private), "{private} in the log:\n{log}");
        }
    }
}
