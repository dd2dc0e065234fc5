//! The campaign kit of a project (issue 23, item 1): per role and per language the project
//! offers, a poster (A3, A4) and a flyer (A5) with the link and its QR code, and invitation
//! texts for e-mail, a newsletter, chat and social media; per place link the same with that
//! place's short link. Texts are the defaults of the language files unless a begeleider
//! changed them (only changes are stored, audit-logged). Everything can be downloaded file by
//! file or as one zip.

use super::accounts::SignedIn;
use super::audit::{self, action};
use crate::domain::accounts::ProjectAction;
use crate::domain::campaign::{self, Field, Format, Use, FIELDS, FORMATS};
use crate::domain::Project;
use crate::exchange::bundle::{self, BundleFile};
use crate::service::error::{require, Refusal, Refused, ServiceError};
use crate::store::campaign::CampaignTextRecord;
use crate::store::response::PlaceLinkRecord;
use crate::store::{self, AnyConnection, Database};
use std::collections::BTreeMap;

pub use crate::domain::campaign::Wording;

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// Texts a begeleider can correct: (field key, message).
    #[error("de teksten kloppen niet")]
    Invalid(Vec<(String, String)>),
    /// A language the project does not offer, a role or a place it does not have.
    #[error("Dat onderdeel van het campagnemateriaal bestaat niet.")]
    Unknown,
    #[error("het bestand kon niet worden gemaakt: {0}")]
    Drawing(String),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(CampaignError);

impl Refused for CampaignError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Invalid(_) => Refusal::Invalid,
            Self::Unknown => Refusal::NotFound,
            Self::Drawing(_) => Refusal::Failure,
            Self::Core(core) => core.refusal(),
        }
    }
}

type Outcome<T> = Result<T, CampaignError>;

/// One text of the kit for one role in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct KitText {
    pub field: Field,
    /// The text as stored or the default, with `{link}` still in it (what the form shows).
    pub text: String,
    /// With the link filled in (what is sent or printed).
    pub filled: String,
    /// Whether the begeleider changed it from the default.
    pub changed: bool,
    pub default: String,
}

/// The texts of one role in one language.
#[derive(Debug, Clone)]
pub struct RoleTexts {
    pub role: String,
    /// Whom the material is for, in Dutch for the begeleider (`campaign::audience`).
    pub label: String,
    pub texts: Vec<KitText>,
}

/// What the kit page shows: the project's languages, roles, place links, and whether its
/// public page is on (then every piece points to it).
#[derive(Debug, Clone)]
pub struct Kit {
    pub name: String,
    /// Dutch first, then the other languages the questionnaire is complete in.
    pub languages: Vec<String>,
    /// (key, whom the material is for).
    pub roles: Vec<(String, String)>,
    pub places: Vec<PlaceLinkRecord>,
    pub results_on: bool,
}

/// The languages a project offers its tellers: Dutch and each switched-on language whose
/// translation is complete (the others show the questionnaire in Dutch, so a poster in them
/// would promise what the form does not keep).
pub fn languages(project: &Project) -> Vec<String> {
    let source = crate::domain::translations::SOURCE_LANGUAGE;
    std::iter::once(source.to_string())
        .chain(
            project
                .settings
                .languages
                .iter()
                .filter(|l| l.as_str() != source && project.questionnaire_language(l) == *l)
                .cloned(),
        )
        .collect()
}

fn project(conn: &mut AnyConnection, slug: &str) -> Outcome<Project> {
    store::projects::find(conn, slug)?.ok_or(CampaignError::Core(ServiceError::NotFound))
}

/// The overview of the kit (read right).
pub fn kit(db: &Database, by: &SignedIn, slug: &str) -> Outcome<Kit> {
    require(by, slug, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    let project = project(&mut conn, slug)?;
    Ok(Kit {
        languages: languages(&project),
        roles: project
            .questionnaire
            .roles
            .iter()
            .map(|r| (r.key.clone(), campaign::audience(&r.key, &r.label)))
            .collect(),
        places: store::response::places(&mut conn, slug)?,
        results_on: store::public_results::is_on(&mut conn, slug)?,
        name: project.name,
    })
}

/// Everything needed to fill in a project's kit, read once.
struct Sources {
    project: Project,
    changed: Vec<CampaignTextRecord>,
    places: Vec<PlaceLinkRecord>,
    results_on: bool,
}

fn sources(db: &Database, slug: &str) -> Outcome<Sources> {
    let mut conn = db.conn()?;
    let project = project(&mut conn, slug)?;
    Ok(Sources {
        changed: store::campaign::texts(&mut conn, slug)?,
        places: store::response::places(&mut conn, slug)?,
        results_on: store::public_results::is_on(&mut conn, slug)?,
        project,
    })
}

impl Sources {
    fn offers(&self, lang: &str) -> bool {
        languages(&self.project).iter().any(|l| l == lang)
    }

    fn place(&self, code: Option<&str>) -> Outcome<Option<&PlaceLinkRecord>> {
        match code {
            None => Ok(None),
            Some(code) => self
                .places
                .iter()
                .find(|p| p.code == code)
                .map(Some)
                .ok_or(CampaignError::Unknown),
        }
    }

    /// The role's texts in a language, link filled in; the e-mail and the newsletter end with
    /// the public page when it is on (`base` makes its link).
    fn role_texts(
        &self,
        wording: &dyn Wording,
        base: &str,
        lang: &str,
        role: &str,
        link: &str,
    ) -> RoleTexts {
        let results = self
            .results_link(base, lang)
            .map(|l| campaign::fill(&wording.wording(lang, "campaign.results_line"), &l));
        let label = self
            .project
            .questionnaire
            .role(role)
            .map_or_else(|| role.to_string(), |r| campaign::audience(role, &r.label));
        let texts = FIELDS
            .into_iter()
            .map(|field| {
                let default = wording.wording(lang, &campaign::default_text_key(role, field));
                let stored = self
                    .changed
                    .iter()
                    .find(|r| r.language == lang && r.role == role && r.field == field.key());
                let text = stored.map_or_else(|| default.clone(), |r| r.text.clone());
                let mut filled = campaign::fill(&text, link);
                if let (Some(line), Field::MailBody | Field::Newsletter) = (&results, field) {
                    filled.push_str("\n\n");
                    filled.push_str(line);
                }
                KitText {
                    field,
                    filled,
                    changed: stored.is_some(),
                    text,
                    default,
                }
            })
            .collect();
        RoleTexts {
            role: role.to_string(),
            label,
            texts,
        }
    }

    fn results_link(&self, base: &str, lang: &str) -> Option<String> {
        self.results_on.then(|| {
            let mut link = format!("{base}/v/{}/resultaten", self.project.slug);
            if lang != crate::domain::translations::SOURCE_LANGUAGE {
                link.push_str("?taal=");
                link.push_str(lang);
            }
            link
        })
    }
}

/// The texts of every role in one language, with the link of the project or of a place
/// (read right). A language the project does not offer is [`CampaignError::Unknown`].
pub fn texts(
    db: &Database,
    wording: &dyn Wording,
    by: &SignedIn,
    slug: &str,
    lang: &str,
    base: &str,
) -> Outcome<Vec<RoleTexts>> {
    require(by, slug, ProjectAction::Read)?;
    let base = base.trim_end_matches('/');
    let sources = sources(db, slug)?;
    if !sources.offers(lang) {
        return Err(CampaignError::Unknown);
    }
    let link = campaign::link(base, slug, lang, None);
    Ok(sources
        .project
        .questionnaire
        .roles
        .iter()
        .map(|r| sources.role_texts(wording, base, lang, &r.key, &link))
        .collect())
}

/// Saves the texts of one role in one language as typed: (field key, text). An empty text or
/// one equal to the default means the default (no row). All or nothing: one refused text
/// keeps every text unsaved and says why per field (facilitate right).
#[allow(clippy::too_many_arguments)]
pub fn save_texts(
    db: &Database,
    wording: &dyn Wording,
    by: &SignedIn,
    slug: &str,
    lang: &str,
    role: &str,
    typed: &[(String, String)],
    now: i64,
) -> Outcome<()> {
    require(by, slug, ProjectAction::Facilitate)?;
    let sources = sources(db, slug)?;
    if !sources.offers(lang) || sources.project.questionnaire.role(role).is_none() {
        return Err(CampaignError::Unknown);
    }
    let mut problems = Vec::new();
    let mut records = Vec::new();
    for field in FIELDS {
        let raw = typed
            .iter()
            .find(|(k, _)| k == field.key())
            .map_or("", |(_, v)| v.as_str());
        match campaign::clean_text(field, raw) {
            Err(message) => problems.push((field.key().to_string(), message)),
            Ok(text) => {
                let default = wording.wording(lang, &campaign::default_text_key(role, field));
                if !text.is_empty() && text != default {
                    records.push(CampaignTextRecord {
                        project_slug: slug.to_string(),
                        language: lang.to_string(),
                        role: role.to_string(),
                        field: field.key().to_string(),
                        text,
                        updated_at: now,
                    });
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(CampaignError::Invalid(problems));
    }
    let unchanged = |stored: &[CampaignTextRecord]| {
        let mine: Vec<(&str, &str)> = stored
            .iter()
            .filter(|r| r.language == lang && r.role == role)
            .map(|r| (r.field.as_str(), r.text.as_str()))
            .collect();
        let mut typed: Vec<(&str, &str)> = records
            .iter()
            .map(|r| (r.field.as_str(), r.text.as_str()))
            .collect();
        typed.sort_unstable();
        mine == typed
    };
    // A save that changes nothing writes nothing, not even an audit entry.
    if unchanged(&sources.changed) {
        return Ok(());
    }
    db.write_with(|conn| -> Outcome<()> {
        store::campaign::replace(conn, slug, lang, role, &records)?;
        let detail = format!("{lang} · {role}: {} eigen tekst(en)", records.len());
        audit::log(
            conn,
            Some(&by.actor()),
            action::CAMPAIGN_TEXTS_SAVE,
            Some(slug),
            Some(&format!("{lang}/{role}")),
            &detail,
            now,
        )?;
        Ok(())
    })
}

/// What the kit makes files from: the project's sources and the address of the installation.
struct Maker<'a> {
    sources: Sources,
    wording: &'a dyn Wording,
    base: &'a str,
}

impl Maker<'_> {
    fn link(&self, lang: &str, place: Option<&PlaceLinkRecord>) -> String {
        campaign::link(
            self.base,
            &self.sources.project.slug,
            lang,
            place.map(|p| p.code.as_str()),
        )
    }

    fn pdf(
        &self,
        lang: &str,
        role: &str,
        format: Format,
        place: Option<&PlaceLinkRecord>,
    ) -> Outcome<Vec<u8>> {
        let link = self.link(lang, place);
        let texts = self
            .sources
            .role_texts(self.wording, self.base, lang, role, &link);
        let text = |field: Field| {
            texts
                .texts
                .iter()
                .find(|t| t.field == field)
                .map_or(String::new(), |t| t.filled.clone())
        };
        let qr =
            crate::render::qr::grid(&link).map_err(|e| CampaignError::Drawing(e.to_string()))?;
        let results_link = self.sources.results_link(self.base, lang);
        let results_sentence = results_link.as_ref().map(|_| {
            // The sentence ends where the link would go: the link is printed on its own line.
            let sentence = self.wording.wording(lang, "campaign.results");
            sentence.replace(campaign::LINK, "").trim().to_string()
        });
        let results = match (&results_sentence, &results_link) {
            (Some(sentence), Some(link)) => Some((sentence.as_str(), campaign::printed(link))),
            _ => None,
        };
        let (title, body, action) = (
            text(Field::PosterTitle),
            text(Field::PosterText),
            text(Field::Action),
        );
        let (scan, promise) = (
            self.wording.wording(lang, "campaign.scan"),
            self.wording.wording(lang, "campaign.promise"),
        );
        let poster = crate::pdf::campaign::Poster {
            language: lang,
            project: &self.sources.project.name,
            title: &title,
            text: &body,
            action: &action,
            qr: &qr,
            scan: &scan,
            link: campaign::printed(&link),
            promise: &promise,
            results,
            place: place.map_or("", |p| p.name.as_str()),
        };
        crate::pdf::campaign::poster(&poster, format.size())
            .map_err(|e| CampaignError::Drawing(e.to_string()))
    }

    /// The invitation texts of a role in a language as one text file, headed in Dutch for the
    /// begeleider who sends them.
    fn invitations(&self, lang: &str, role: &str, place: Option<&PlaceLinkRecord>) -> String {
        let link = self.link(lang, place);
        let texts = self
            .sources
            .role_texts(self.wording, self.base, lang, role, &link);
        let mut out = format!(
            "Uitnodigingen · {} · {} · {}\n",
            self.sources.project.name,
            texts.label,
            crate::domain::translations::dutch_name(lang).unwrap_or(lang)
        );
        if let Some(place) = place {
            out.push_str(&format!("Plek-link: {} ({link})\n", place.name));
        }
        for t in texts
            .texts
            .iter()
            .filter(|t| t.field.usage() == Use::Invitation)
        {
            out.push_str(&format!("\n== {} ==\n\n", t.field.label()));
            out.push_str(&t.filled);
            out.push('\n');
        }
        out
    }

    fn qr_svg(&self, link: &str) -> Outcome<Vec<u8>> {
        crate::render::qr::svg(link, &format!("QR-code met de link {link}"))
            .map(String::into_bytes)
            .map_err(|e| CampaignError::Drawing(e.to_string()))
    }

    fn folder(&self, place: Option<&PlaceLinkRecord>) -> String {
        match place {
            None => format!("campagne-{}", self.sources.project.slug),
            Some(p) => format!(
                "campagne-{}-{}-{}",
                self.sources.project.slug,
                p.code,
                campaign::file_part(&p.name)
            ),
        }
    }

    /// Every file of the kit, for the project or for one place.
    fn files(&self, place: Option<&PlaceLinkRecord>) -> Outcome<Vec<BundleFile>> {
        let folder = self.folder(place);
        let mut files = vec![BundleFile {
            path: format!("{folder}/LEESMIJ.txt"),
            bytes: self.readme(place).into_bytes(),
        }];
        for lang in languages(&self.sources.project) {
            files.push(BundleFile {
                path: format!("{folder}/{lang}/qr-code.svg"),
                bytes: self.qr_svg(&self.link(&lang, place))?,
            });
            for role in &self.sources.project.questionnaire.roles {
                for format in FORMATS {
                    files.push(BundleFile {
                        path: format!("{folder}/{lang}/{}/{}.pdf", role.key, format.key()),
                        bytes: self.pdf(&lang, &role.key, format, place)?,
                    });
                }
                files.push(BundleFile {
                    path: format!("{folder}/{lang}/{}/uitnodigingen.txt", role.key),
                    bytes: self.invitations(&lang, &role.key, place).into_bytes(),
                });
            }
        }
        if place.is_none() {
            for p in &self.sources.places {
                files.push(BundleFile {
                    path: format!(
                        "{folder}/plekken/{}-{}.svg",
                        p.code,
                        campaign::file_part(&p.name)
                    ),
                    bytes: self.qr_svg(
                        &self.link(crate::domain::translations::SOURCE_LANGUAGE, Some(p)),
                    )?,
                });
            }
        }
        Ok(files)
    }

    fn readme(&self, place: Option<&PlaceLinkRecord>) -> String {
        let nl = crate::domain::translations::SOURCE_LANGUAGE;
        let mut out = format!(
            "Campagnemateriaal · {}\n\n\
             In elke taalmap staat per rol een poster (A3 en A4), een flyer (A5) en\n\
             uitnodigingen voor e-mail, nieuwsbrief, chat en sociale media. De QR-code\n\
             (qr-code.svg) en de link op het materiaal openen het vertelpunt in die taal.\n\n",
            self.sources.project.name
        );
        if let Some(p) = place {
            out.push_str(&format!(
                "Dit materiaal is voor de plek '{}'. Verhalen die via deze link komen, telt de\n\
                 responsmonitor bij deze plek (alleen aantallen, nooit per persoon).\n\n",
                p.name
            ));
        }
        out.push_str("Links\n");
        for lang in languages(&self.sources.project) {
            out.push_str(&format!(
                "- {}: {}\n",
                crate::domain::translations::dutch_name(&lang).unwrap_or(&lang),
                self.link(&lang, place)
            ));
        }
        if place.is_none() && !self.sources.places.is_empty() {
            out.push_str("\nPlek-links (QR-codes in de map plekken)\n");
            for p in &self.sources.places {
                out.push_str(&format!("- {}: {}\n", p.name, self.link(nl, Some(p))));
            }
        }
        match self.sources.results_link(self.base, nl) {
            Some(link) => out.push_str(&format!(
                "\nWat er met de verhalen is gedaan, staat op {link}\n\
                 (de posters, flyers en uitnodigingen wijzen ernaar).\n"
            )),
            None => out.push_str(
                "\nDe openbare pagina 'Wat is er met de verhalen gedaan?' staat uit. Zet je hem\n\
                 aan, maak dit materiaal dan opnieuw: dan wijst het ernaar.\n",
            ),
        }
        out
    }
}

fn maker<'a>(
    db: &Database,
    wording: &'a dyn Wording,
    by: &SignedIn,
    slug: &str,
    base: &'a str,
) -> Outcome<Maker<'a>> {
    require(by, slug, ProjectAction::Read)?;
    Ok(Maker {
        sources: sources(db, slug)?,
        wording,
        base: base.trim_end_matches('/'),
    })
}

/// One poster or flyer (read right): its file name and bytes.
#[allow(clippy::too_many_arguments)]
pub fn print(
    db: &Database,
    wording: &dyn Wording,
    by: &SignedIn,
    slug: &str,
    lang: &str,
    role: &str,
    format: Format,
    place: Option<&str>,
    base: &str,
) -> Outcome<BundleFile> {
    let maker = maker(db, wording, by, slug, base)?;
    let sources = &maker.sources;
    if !sources.offers(lang) || sources.project.questionnaire.role(role).is_none() {
        return Err(CampaignError::Unknown);
    }
    let place = sources.place(place)?;
    let name = match place {
        None => format!("{slug}-{lang}-{role}-{}.pdf", format.key()),
        Some(p) => format!("{slug}-{}-{lang}-{role}-{}.pdf", p.code, format.key()),
    };
    Ok(BundleFile {
        path: name,
        bytes: maker.pdf(lang, role, format, place)?,
    })
}

/// The whole kit as one zip, for the project or one place link (read right).
pub fn bundle(
    db: &Database,
    wording: &dyn Wording,
    by: &SignedIn,
    slug: &str,
    place: Option<&str>,
    base: &str,
) -> Outcome<BundleFile> {
    let maker = maker(db, wording, by, slug, base)?;
    let place = maker.sources.place(place)?;
    let files = maker.files(place)?;
    let bytes = bundle::zip(&files).map_err(|e| CampaignError::Drawing(e.to_string()))?;
    Ok(BundleFile {
        path: format!("{}.zip", maker.folder(place)),
        bytes,
    })
}

/// A place link's QR code as SVG with its link (read right).
pub fn place_qr(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    code: &str,
    base: &str,
) -> Outcome<(PlaceLinkRecord, String, Vec<u8>)> {
    require(by, slug, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    let place = store::response::places(&mut conn, slug)?
        .into_iter()
        .find(|p| p.code == code)
        .ok_or(CampaignError::Unknown)?;
    let link = campaign::link(
        base.trim_end_matches('/'),
        slug,
        crate::domain::translations::SOURCE_LANGUAGE,
        Some(code),
    );
    let svg = crate::render::qr::svg(&link, &format!("QR-code met de link {link}"))
        .map_err(|e| CampaignError::Drawing(e.to_string()))?;
    Ok((place, link, svg.into_bytes()))
}

/// The texts of a role in a language as the form shows them after a refusal: what was typed
/// where it was typed, else the current text.
pub fn typed_over(texts: &mut [RoleTexts], role: &str, typed: &BTreeMap<String, String>) {
    if let Some(r) = texts.iter_mut().find(|r| r.role == role) {
        for t in &mut r.texts {
            if let Some(v) = typed.get(t.field.key()) {
                t.text = v.clone();
            }
        }
    }
}
