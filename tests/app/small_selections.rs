//! Adversarial: a determined reader tries to get the stories of a selection smaller than k out
//! of Vertelpunt, through every analysis page, every export format, the research API and the
//! command line, and to join research outputs on their story ids.
//!
//! The fixture (see `export::app_with_stories`) holds one young person from Mook aged 16–17: the
//! teller who could be recognised. k is 5.

use crate::api::{api, create_token};
use crate::cli::vertelpunt;
use crate::export::{app_with_stories, download, rows};
use crate::helpers::*;
use std::collections::BTreeSet;

/// Words only that one story has.
const ALONE: &str = "de enige op mijn school";

/// Selections of 1 to 4 stories, written as a reader would try them.
const SMALL: [&str; 5] = [
    "?a=gemeente:mook_en_middelaar",
    "?rol=jongere&a=leeftijd:jaar_16_17",
    // Either gemeente, but only young people: the parents of Wijchen drop out.
    "?rol=jongere&a=gemeente:mook_en_middelaar&a=gemeente:wijchen",
    // A slider range that holds only that story.
    "?s=gehoord:0-20",
    // Four parents: more than one, still fewer than k.
    "?rol=ouder&s=gehoord:60-63",
];

#[test]
fn no_page_shows_a_selection_smaller_than_k() {
    let app = app_with_stories();
    let reader = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    for filter in SMALL {
        for page in ["cijfers", "verkennen", "patronen", "export"] {
            let shown = reader.get(&format!("/beheer/p/jeugdhulp/{page}{filter}"));
            assert!(shown.status < 500, "{page}{filter}: {}", shown.status);
            assert!(
                !shown.body.contains(ALONE),
                "{page}{filter} shows the story"
            );
            assert!(
                shown.body.contains("Minder dan 5 verhalen"),
                "{page}{filter} does not say why"
            );
        }
        let export = reader.get(&format!("/beheer/p/jeugdhulp/export{filter}"));
        assert!(!export.body.contains("Download 1 verhaal"), "{filter}");
        assert!(
            export.body.contains("disabled>Download</button>"),
            "{filter}"
        );
    }
    // Comparing the one story with the rest shows no figures of it.
    let compare = reader.get("/beheer/p/jeugdhulp/vergelijk?d=gemeente:mook_en_middelaar");
    assert!(compare.status < 500);
    assert!(!compare.body.contains(ALONE));
    assert!(compare.body.contains("Minder dan 5"), "{}", compare.body);
}

#[test]
fn no_export_format_api_call_or_command_gives_a_selection_smaller_than_k() {
    let app = app_with_stories();
    let reader = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let token = create_token(&reader, "script", &["jeugdhulp"]);
    for filter in SMALL {
        for format in ["csv", "json", "xlsx"] {
            let (status, _, body) = download(&reader, filter, format);
            assert_eq!(status, 422, "{format}{filter}");
            let body = String::from_utf8_lossy(&body);
            assert!(!body.contains(ALONE), "{format}{filter}");
            assert!(body.contains("Minder dan 5 verhalen"), "{format}{filter}");
        }
        for page in ["", "&pagina=1&per_pagina=1"] {
            let path = format!("/api/v1/projecten/jeugdhulp/verhalen{filter}{page}");
            let (status, body) = api(&app, &path, Some(&token));
            assert_eq!(status, 422, "{path}: {body}");
            assert!(body.get("verhalen").is_none(), "{path}");
            assert!(body.get("totaal").is_none(), "{path}");
            assert!(body["fout"].as_str().unwrap_or("").contains("Minder dan 5"));
        }
    }
    // The command line: the same filters as `--filter question=option`.
    for filter in [
        vec!["gemeente=mook_en_middelaar"],
        vec!["rol=jongere", "leeftijd=jaar_16_17"],
    ] {
        let mut args = vec![
            "stories",
            "export",
            "--project",
            "jeugdhulp",
            "--anonymised",
        ];
        for f in &filter {
            args.extend(["--filter", f]);
        }
        let out = vertelpunt(&app.db_url, &args);
        assert!(!out.status.success(), "{filter:?}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains(ALONE));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Minder dan 5 verhalen"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Each refusal is in the audit log.
    assert!(audit_details(&app, "export.refused")
        .iter()
        .any(|d| d.contains("minder dan 5 verhalen")));
}

/// The story ids of an API answer.
fn api_ids(app: &TestApp, token: &str, query: &str) -> BTreeSet<String> {
    let (status, body) = api(
        app,
        &format!("/api/v1/projecten/jeugdhulp/verhalen{query}"),
        Some(token),
    );
    assert_eq!(status, 200, "{query}: {body}");
    body["verhalen"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn two_research_outputs_cannot_be_joined_on_story_ids() {
    let app = app_with_stories();
    let reader = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let token = create_token(&reader, "script", &["jeugdhulp"]);
    let real: BTreeSet<String> = ["j-0", "j-1", "j-2", "j-3", "j-4", "j-5", "m-1"]
        .iter()
        .map(|s| s.to_string())
        .chain((0..5).map(|i| format!("o-{i}")))
        .collect();

    // Two overlapping API selections: 12 and 7 stories, 7 of them in both.
    let all = api_ids(&app, &token, "");
    let young = api_ids(&app, &token, "?rol=jongere");
    assert_eq!((all.len(), young.len()), (12, 7));
    assert!(
        all.is_disjoint(&young),
        "the same story has the same id in both"
    );
    assert!(
        all.is_disjoint(&real) && young.is_disjoint(&real),
        "real ids leak"
    );
    // Pages of one query keep their ids, so a script can page through it.
    let first = api_ids(&app, &token, "?rol=jongere&pagina=1&per_pagina=4");
    let second = api_ids(&app, &token, "?rol=jongere&pagina=2&per_pagina=4");
    assert_eq!(
        first.union(&second).cloned().collect::<BTreeSet<_>>(),
        young
    );
    // Another person's token gets other ids for the same query.
    let other = app.user_browser("o2@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let other_token = create_token(&other, "ander script", &["jeugdhulp"]);
    assert!(api_ids(&app, &other_token, "").is_disjoint(&all));

    // Two downloads of the same selection: each file has its own ids.
    let ids = |bytes: &[u8]| -> BTreeSet<String> {
        rows(bytes).iter().map(|r| r["id"].clone()).collect()
    };
    let (status, _, once) = download(&reader, "", "csv");
    assert_eq!(status, 200);
    let (_, _, twice) = download(&reader, "", "csv");
    let (once, twice) = (ids(&once), ids(&twice));
    assert_eq!(once.len(), 12);
    assert!(once.is_disjoint(&twice));
    assert!(once.is_disjoint(&real));
}
