//! The campaign kit (issue 23, item 1): a poster (A3, A4) and flyer (A5) per role and
//! language, drawn by the server, whose QR code a decoder reads back as the right link (the
//! project's, in that language, or a place's short link); invitation texts with the link in
//! them; texts a begeleider changes, refused with a reason when they cannot be used; and the
//! whole kit as one zip.

use crate::helpers::*;
use crate::observations::pdf_text;
use diesel::prelude::*;
use std::io::Read;
use vertelpunt::render::i18n::Catalogs;
use vertelpunt::store::schema::{campaign_texts, place_links};

const KIT: &str = "/beheer/p/jeugdhulp/campagne";

/// The link the kit page gives for a language (the `Link: <code>…</code>` line).
fn kit_link(page: &Page, lang: &str) -> String {
    let section = between(&page.body, &format!("id=\"taal-{lang}\""), "</section>");
    unescape(&between(&section, "Link: <code>", "</code>"))
}

/// The greyscale pixels of the PDF's first page at `dpi` (`pdftoppm -gray`, a PGM file).
/// `None` when poppler-utils is not installed outside CI.
fn render_grey(pdf: &[u8], dpi: u32) -> Option<(usize, usize, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("poster.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = poppler(
        std::process::Command::new("pdftoppm")
            .args([
                "-gray",
                "-r",
                &dpi.to_string(),
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
            ])
            .arg(&file)
            .arg(dir.path().join("pagina")),
    )?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pgm = std::fs::read(dir.path().join("pagina.pgm")).unwrap();
    // P5 header: magic, width, height, maximum value, each followed by white space.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).to_string());
    }
    assert_eq!(fields[0], "P5");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = pgm[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height);
    Some((width, height, pixels))
}

/// What a phone's camera reads from the printed page: the QR codes found on the rendered
/// page, decoded by an independent reader.
fn qr_on_page(pdf: &[u8]) -> Option<Vec<String>> {
    let (width, height, pixels) = render_grey(pdf, 150)?;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    Some(
        image
            .detect_grids()
            .iter()
            .map(|g| g.decode().expect("the code decodes").1)
            .collect(),
    )
}

/// The page size of a PDF in points, read by `pdfinfo`.
fn page_size(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("poster.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = poppler(std::process::Command::new("pdfinfo").arg(&file))?;
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    let line = info.lines().find(|l| l.starts_with("Page size:"))?;
    Some(line.trim_start_matches("Page size:").trim().to_string())
}

fn catalogs() -> Catalogs {
    Catalogs::load().expect("the language files load")
}

#[test]
fn every_role_and_language_gets_posters_and_a_flyer_whose_code_reads_as_the_right_link() {
    let app = spawn_app();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let page = begeleider.get(KIT);
    assert_eq!(page.status, 200, "{}", page.body);
    let texts = catalogs();
    // The default project offers every language of the interface; each has its table.
    for lang in ["nl", "en", "ar", "tr", "pl", "uk"] {
        page.assert_contains(&format!("id=\"taal-{lang}\""));
        for role in ["jongere", "ouder", "professional"] {
            page.assert_contains(&format!(
                "href=\"/beheer/p/jeugdhulp/campagne/{lang}/{role}/poster-a3.pdf\""
            ));
        }
    }
    let dutch_link = kit_link(&page, "nl");
    assert!(dutch_link.ends_with("/v/jeugdhulp"), "{dutch_link}");
    assert_eq!(kit_link(&page, "ar"), format!("{dutch_link}?taal=ar"));

    // Every language, each role and each format at least once.
    for (lang, role, format, size) in [
        ("nl", "jongere", "poster-a4", "595 x 842 pts (A4)"),
        ("nl", "ouder", "poster-a3", "842 x 1191 pts (A3)"),
        ("en", "professional", "poster-a3", "842 x 1191 pts (A3)"),
        ("uk", "professional", "flyer-a5", "420 x 595 pts (A5)"),
        ("ar", "ouder", "poster-a4", "595 x 842 pts (A4)"),
        ("tr", "jongere", "flyer-a5", "420 x 595 pts (A5)"),
        ("pl", "ouder", "poster-a4", "595 x 842 pts (A4)"),
    ] {
        let (status, kind, pdf) =
            begeleider.get_bytes(&format!("{KIT}/{lang}/{role}/{format}.pdf"));
        assert_eq!(status, 200, "{lang} {role} {format}");
        assert_eq!(kind, "application/pdf");
        if let Some(found) = page_size(&pdf) {
            assert_eq!(found, size, "{lang} {role} {format}");
        }
        if let Some(codes) = qr_on_page(&pdf) {
            assert_eq!(codes, [kit_link(&page, lang)], "{lang} {role} {format}");
        }
        // The title and the call to action in the poster's language (Arabic text comes out
        // of pdftotext in presentation forms, so it is checked by the code only).
        if lang != "ar" {
            if let Some(text) = pdf_text(&pdf) {
                let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
                for key in ["poster_title", "action"] {
                    let expected = texts.text(lang, &format!("campaign.{role}.{key}"), &[]);
                    assert!(
                        flat.contains(&expected),
                        "{lang} {role}: {expected} in {flat}"
                    );
                }
                assert!(flat.contains(texts.text(lang, "campaign.promise", &[]).as_str()));
            }
        }
    }

    // What is not there is not found; a format that does not exist is not a route.
    assert_eq!(
        begeleider
            .get(&format!("{KIT}/xx/jongere/poster-a4.pdf"))
            .status,
        404
    );
    assert_eq!(
        begeleider
            .get(&format!("{KIT}/nl/opa/poster-a4.pdf"))
            .status,
        404
    );
    assert_eq!(
        begeleider
            .get(&format!("{KIT}/nl/jongere/poster-a2.pdf"))
            .status,
        404
    );
    assert_eq!(
        begeleider
            .get(&format!("{KIT}/nl/jongere/poster-a4.pdf?plek=bestaat-niet"))
            .status,
        404
    );
    // Someone without a role in the project gets nothing of it.
    let stranger = app.user_browser("vreemde@voorbeeld.nl", &[]);
    assert_eq!(
        stranger
            .get(&format!("{KIT}/nl/jongere/poster-a4.pdf"))
            .status,
        403
    );
}

/// A place link made in the response monitor; returns its code.
fn place(app: &TestApp, begeleider: &Browser, name: &str) -> String {
    let monitor = "/beheer/p/jeugdhulp/respons";
    let csrf = begeleider.csrf(monitor);
    let made = begeleider.post(
        &format!("{monitor}/plekken"),
        &[("csrf", &csrf), ("naam", name)],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let db = app.database();
    let mut conn = db.conn().unwrap();
    place_links::table
        .filter(place_links::name.eq(name))
        .select(place_links::code)
        .first(&mut conn)
        .unwrap()
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (entry.name().unwrap().to_string(), data)
        })
        .collect()
}

#[test]
fn the_zip_holds_the_whole_kit_and_a_place_kit_carries_the_places_short_link() {
    let app = spawn_app();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let code = place(&app, &begeleider, "Wachtkamer huisarts Beek");
    let page = begeleider.get(KIT);
    let dutch_link = kit_link(&page, "nl");
    let short = format!("{dutch_link}/p/{code}");
    page.assert_contains(&format!("<code>{}</code>", escape(&short)));
    // The response monitor shows the same short link and leads to the place's material.
    let monitor = begeleider.get("/beheer/p/jeugdhulp/respons");
    monitor.assert_contains(&format!("<code>{}</code>", escape(&short)));
    monitor.assert_contains(&format!("href=\"{KIT}#plek-{code}\""));

    let (status, kind, bytes) = begeleider.get_bytes(&format!("{KIT}/campagne.zip"));
    assert_eq!((status, kind.as_str()), (200, "application/zip"));
    let files = unzip(&bytes);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let folder = "campagne-jeugdhulp";
    // 6 languages, each: a QR code, and per role (3) three PDFs and the invitations.
    assert_eq!(names.len(), 1 + 6 * (1 + 3 * 4) + 1, "{names:?}");
    assert_eq!(names[0], format!("{folder}/LEESMIJ.txt"));
    for lang in ["nl", "en", "ar", "tr", "pl", "uk"] {
        assert!(names.contains(&format!("{folder}/{lang}/qr-code.svg").as_str()));
        for role in ["jongere", "ouder", "professional"] {
            for file in [
                "poster-a3.pdf",
                "poster-a4.pdf",
                "flyer-a5.pdf",
                "uitnodigingen.txt",
            ] {
                let path = format!("{folder}/{lang}/{role}/{file}");
                assert!(names.contains(&path.as_str()), "{path}");
            }
        }
    }
    let place_qr = format!("{folder}/plekken/{code}-wachtkamer-huisarts-beek.svg");
    assert!(names.contains(&place_qr.as_str()), "{names:?}");
    let readme = String::from_utf8(files[0].1.clone()).unwrap();
    assert!(
        readme.contains(&format!("Wachtkamer huisarts Beek: {short}")),
        "{readme}"
    );
    // Every PDF in the zip is one the server also serves on its own.
    let (_, _, alone) = begeleider.get_bytes(&format!("{KIT}/en/ouder/flyer-a5.pdf"));
    let zipped = &files
        .iter()
        .find(|(n, _)| n == &format!("{folder}/en/ouder/flyer-a5.pdf"))
        .unwrap()
        .1;
    assert_eq!(alone.len(), zipped.len());
    let invitations = files
        .iter()
        .find(|(n, _)| n == &format!("{folder}/pl/jongere/uitnodigingen.txt"))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .unwrap();
    assert!(
        invitations.contains(&format!("{dutch_link}?taal=pl")),
        "{invitations}"
    );

    // The kit of the place: the same files, each pointing to the place's short link.
    let (status, _, bytes) = begeleider.get_bytes(&format!("{KIT}/campagne.zip?plek={code}"));
    assert_eq!(status, 200);
    let files = unzip(&bytes);
    let place_folder = format!("campagne-jeugdhulp-{code}-wachtkamer-huisarts-beek");
    assert!(files.iter().all(|(n, _)| n.starts_with(&place_folder)));
    assert!(!files.iter().any(|(n, _)| n.contains("/plekken/")));
    let flyer = &files
        .iter()
        .find(|(n, _)| n == &format!("{place_folder}/nl/ouder/flyer-a5.pdf"))
        .unwrap()
        .1;
    if let Some(codes) = qr_on_page(flyer) {
        assert_eq!(codes, std::slice::from_ref(&short));
    }
    let arabic = &files
        .iter()
        .find(|(n, _)| n == &format!("{place_folder}/ar/jongere/poster-a4.pdf"))
        .unwrap()
        .1;
    if let Some(codes) = qr_on_page(arabic) {
        assert_eq!(codes, [format!("{short}?taal=ar")]);
    }
    let mail = files
        .iter()
        .find(|(n, _)| n == &format!("{place_folder}/nl/ouder/uitnodigingen.txt"))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .unwrap();
    assert!(mail.contains(&format!("Plek-link: Wachtkamer huisarts Beek ({short})")));
    assert!(mail.contains("== Kort bericht voor chat (WhatsApp, Signal) =="));
    assert_eq!(mail.matches(&short).count(), 1 + 4, "{mail}");
    assert_eq!(
        begeleider
            .get(&format!("{KIT}/campagne.zip?plek=bestaat-niet"))
            .status,
        404
    );

    // The place's QR code on its own decodes to the short link too (its SVG, drawn as pixels).
    let (status, kind, svg) = begeleider.get_bytes(&format!("{KIT}/plekken/{code}/qr.svg"));
    assert_eq!(status, 200);
    assert!(kind.starts_with("image/svg+xml"));
    assert!(String::from_utf8(svg).unwrap().contains(&short));

    // The short link counts the place and opens the landing page, in the language asked.
    let teller = app.browser();
    let hop = teller.get(&format!("/v/jeugdhulp/p/{code}?taal=ar"));
    assert_eq!(hop.status, 303);
    assert_eq!(
        hop.header("location"),
        Some(format!("/v/jeugdhulp?plek={code}&taal=ar").as_str())
    );
    let landing = teller.get(&format!("/v/jeugdhulp?plek={code}&taal=ar"));
    landing.assert_contains(&format!("plek={code}"));
    landing.assert_contains("dir=\"rtl\"");
    // An odd code still leads to the form, counted as unknown; an unknown project is not found.
    let odd = teller.get("/v/jeugdhulp/p/%3Cscript%3E");
    assert_eq!(odd.header("location"), Some("/v/jeugdhulp?plek=onbekend"));
    assert_eq!(teller.get("/v/bestaat-niet/p/abc").status, 404);
}

fn stored_texts(app: &TestApp) -> Vec<(String, String, String, String)> {
    let db = app.database();
    let mut conn = db.conn().unwrap();
    campaign_texts::table
        .filter(campaign_texts::project_slug.eq("jeugdhulp"))
        .order((
            campaign_texts::language,
            campaign_texts::role,
            campaign_texts::field,
        ))
        .select((
            campaign_texts::language,
            campaign_texts::role,
            campaign_texts::field,
            campaign_texts::text,
        ))
        .load(&mut conn)
        .unwrap()
}

#[test]
fn texts_have_defaults_a_begeleider_changes_them_and_a_bad_text_is_refused_with_nothing_lost() {
    let app = spawn_app();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let texts = catalogs();
    let page_path = format!("{KIT}/nl");
    let kit = begeleider.get(KIT);
    let link = kit_link(&kit, "nl");
    let page = begeleider.get(&page_path);
    assert_eq!(page.status, 200);
    // The default chat message with the link filled in, ready to copy.
    let chat = texts
        .text("nl", "campaign.jongere.chat", &[])
        .replace("{link}", &link);
    page.assert_contains(&escape(&chat));

    // A chat message without the link and an unknown placeholder: refused, all kept.
    let csrf = begeleider.csrf(&page_path);
    let typed_title = "Eigen kop <voor> Beek";
    let refused = begeleider.post(
        &format!("{page_path}/jongere"),
        &[
            ("csrf", &csrf),
            ("poster_title", typed_title),
            ("chat", "Vertel het ons!"),
            ("social", "Kijk op {website}"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("De teksten zijn niet opgeslagen");
    refused.assert_contains("Zet {link} in de tekst");
    refused.assert_contains("{website} kunnen we niet invullen");
    refused.assert_contains(&escape(typed_title));
    refused.assert_contains(">Vertel het ons!</textarea>");
    refused.assert_contains("href=\"#jongere-chat\"");
    assert!(stored_texts(&app).is_empty());

    // Corrected: two own texts are kept; the rest stays the default (no row).
    let saved = begeleider.post(
        &format!("{page_path}/jongere"),
        &[
            ("csrf", &csrf),
            ("poster_title", typed_title),
            ("chat", "Vertel het ons:\r\n{link}"),
            (
                "mail_body",
                &texts.text("nl", "campaign.jongere.mail_body", &[]),
            ),
            ("social", ""),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        stored_texts(&app),
        [
            (
                "nl".into(),
                "jongere".into(),
                "chat".into(),
                "Vertel het ons:\n{link}".into()
            ),
            (
                "nl".into(),
                "jongere".into(),
                "poster_title".into(),
                typed_title.into()
            ),
        ]
    );
    let after = begeleider.get(saved.header("location").unwrap());
    after.assert_contains("De teksten voor");
    after.assert_contains(&escape(&format!("Vertel het ons:\n{link}")));
    // The text is shown as text, never as markup.
    assert!(!after.body.contains(typed_title));
    assert!(audit_details(&app, "campaign_texts.save")
        .iter()
        .any(|d| d.contains("nl · jongere: 2")));

    // The poster prints the own title; the English poster keeps its default.
    let (_, _, pdf) = begeleider.get_bytes(&format!("{KIT}/nl/jongere/poster-a4.pdf"));
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains(typed_title), "{text}");
    }
    let (_, _, english) = begeleider.get_bytes(&format!("{KIT}/en/jongere/poster-a4.pdf"));
    if let Some(text) = pdf_text(&english) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&texts.text("en", "campaign.jongere.poster_title", &[])));
    }

    // The same texts again change nothing and write no second audit entry.
    let again = begeleider.post(
        &format!("{page_path}/jongere"),
        &[
            ("csrf", &csrf),
            ("poster_title", typed_title),
            ("chat", "Vertel het ons:\n{link}"),
        ],
    );
    assert_eq!(again.status, 303);
    assert_eq!(audit_details(&app, "campaign_texts.save").len(), 1);

    // `db copy` takes the own texts along.
    let (target, _dir) = new_database();
    vertelpunt::service::transfer::copy_database(&app.db_url, &target).expect("copy");
    let copy = vertelpunt::store::Database::open(&target, 2).expect("copy opens");
    let mut conn = copy.conn().unwrap();
    let copied: i64 = campaign_texts::table.count().get_result(&mut conn).unwrap();
    assert_eq!(copied, 2);

    // Empty fields put the defaults back.
    let reset = begeleider.post(&format!("{page_path}/jongere"), &[("csrf", &csrf)]);
    assert_eq!(reset.status, 303);
    assert!(stored_texts(&app).is_empty());

    // An onderzoeker reads the texts but cannot change them; a language or role the project
    // does not have is not found.
    let onderzoeker = app.user_browser("onderzoeker@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let read = onderzoeker.get(&page_path);
    assert_eq!(read.status, 200);
    assert!(!read.body.contains("<textarea"));
    let token = onderzoeker.csrf(&page_path);
    let post = onderzoeker.post(
        &format!("{page_path}/jongere"),
        &[("csrf", &token), ("poster_title", "Nee")],
    );
    assert_eq!(post.status, 403);
    assert_eq!(begeleider.get(&format!("{KIT}/xx")).status, 404);
    let unknown_role = begeleider.post(&format!("{page_path}/opa"), &[("csrf", &csrf)]);
    assert_eq!(unknown_role.status, 404);
}

#[test]
fn with_the_public_page_on_the_kit_points_to_it() {
    let app = spawn_app();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let results = "/resultaten";
    let (_, _, before) = begeleider.get_bytes(&format!("{KIT}/nl/ouder/poster-a4.pdf"));
    if let Some(text) = pdf_text(&before) {
        assert!(!text.contains(results), "{text}");
    }
    let kit = begeleider.get(KIT);
    kit.assert_contains("staat uit");
    let settings = "/beheer/p/jeugdhulp/resultaten";
    let csrf = begeleider.csrf(settings);
    let on = begeleider.post(&format!("{settings}/aanzetten"), &[("csrf", &csrf)]);
    assert_eq!(on.status, 303);

    let kit = begeleider.get(KIT);
    let link = kit_link(&kit, "nl");
    kit.assert_contains(&format!(
        "href=\"{}\"",
        escape(&format!("{link}/resultaten"))
    ));
    let (_, _, after) = begeleider.get_bytes(&format!("{KIT}/nl/ouder/poster-a4.pdf"));
    if let Some(text) = pdf_text(&after) {
        let printed = link.trim_start_matches("https://");
        assert!(text.contains(&format!("{printed}/resultaten")), "{text}");
    }
    // The e-mail and the newsletter end with the page, in the invitation's language.
    let (_, _, bytes) = begeleider.get_bytes(&format!("{KIT}/campagne.zip"));
    let files = unzip(&bytes);
    let english = files
        .iter()
        .find(|(n, _)| n.ends_with("/en/ouder/uitnodigingen.txt"))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .unwrap();
    let line = catalogs()
        .text("en", "campaign.results_line", &[])
        .replace("{link}", &format!("{link}/resultaten?taal=en"));
    assert_eq!(english.matches(&line).count(), 2, "{english}");
    // The texts page shows the same, ready to copy.
    let page = begeleider.get(&format!("{KIT}/en"));
    assert_eq!(
        page.body.matches(&escape(&line)).count(),
        3 * 2,
        "{}",
        page.body
    );
}
