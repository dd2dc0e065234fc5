//! Duidingssessies: mixed tables read observation cards and stories, write notes ("We zouden
//! eigenlijk … moeten doen, zodat …"), cluster and vote on them, and shape verbetervoorstellen,
//! each with a handschoenoppakker who owns the next step. The rules for what people type.

use super::project_form::FieldProblem;
use serde::Serialize;

/// An enum whose values are stored and posted as short Dutch keys and shown with a label.
macro_rules! keyed {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.key() == key.trim())
            }

            /// (key, label) of every value, for select boxes.
            pub fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.key(), v.label())).collect()
            }
        }
    };
}

keyed! {
    /// The perspective a participant brings to the table (they may keep it to themselves).
    Perspective {
        Jongere => "jongere", "Jongere";
        Ouder => "ouder", "Ouder of verzorger";
        Professional => "professional", "Professional";
        Beleid => "beleid", "Beleid of bestuur";
        Anders => "anders", "Anders / zeg ik liever niet";
    }
}

keyed! {
    /// What a note is: an idea in the session's template, or a first reaction.
    NoteKind {
        Idee => "idee", "Idee";
        Verbazing => "verbazing", "Verbazing";
        Zorg => "zorg", "Zorg";
        Kans => "kans", "Kans";
    }
}

keyed! {
    /// Where a verbetervoorstel is in its life.
    ProposalStatus {
        Nieuw => "nieuw", "Nieuw";
        Opgepakt => "opgepakt", "Opgepakt";
        InUitvoering => "in_uitvoering", "In uitvoering";
        Gerealiseerd => "gerealiseerd", "Gerealiseerd";
        Gestopt => "gestopt", "Gestopt";
    }
}

keyed! {
    /// The level where a proposal belongs.
    Level {
        Lokaal => "lokaal", "Lokaal";
        Regionaal => "regionaal", "Regionaal";
        Landelijk => "landelijk", "Landelijk";
    }
}

keyed! {
    /// What the join link does after the begeleider closed the session.
    AfterClose {
        AlleenLezen => "lezen", "Deelnemers kunnen alles nog lezen, maar niets meer veranderen";
        Uit => "uit", "De link werkt niet meer";
    }
}

keyed! {
    /// What a table reads.
    MaterialKind {
        Kaart => "kaart", "Observatiekaart";
        Verhaal => "verhaal", "Verhaal";
        Voorstel => "voorstel", "Eerder voorstel";
    }
}

keyed! {
    /// The colour of a table (a name people say out loud; the page shows it as well).
    TableColour {
        Blauw => "blauw", "Blauw";
        Groen => "groen", "Groen";
        Oranje => "oranje", "Oranje";
        Paars => "paars", "Paars";
        Rood => "rood", "Rood";
        Geel => "geel", "Geel";
        Grijs => "grijs", "Grijs";
    }
}

keyed! {
    /// The part of a session every table is in, set by the begeleider from the cockpit. It
    /// tells the tables what to do now; it does not lock anything (a table that is slower
    /// may still write a note while the others vote).
    Phase {
        Lezen => "lezen", "Lezen";
        Schrijven => "schrijven", "Notities schrijven";
        Groeperen => "groeperen", "Groeperen";
        Stemmen => "stemmen", "Stemmen";
        Voorstellen => "voorstellen", "Voorstellen maken";
    }
}

impl Phase {
    /// What a table does in this phase, in one plain sentence.
    pub fn instruction(self) -> &'static str {
        match self {
            Self::Lezen => "Lees de kaarten en verhalen van jullie tafel. Praat erover: wat valt op?",
            Self::Schrijven => "Schrijf op wat je denkt: een idee, iets wat je verbaast, een zorg of een kans.",
            Self::Groeperen => "Zet notities die bij elkaar horen in een groep en geef de groep een naam.",
            Self::Stemmen => "Geef je stemmen aan de groepen die jij het belangrijkst vindt.",
            Self::Voorstellen => "Maak van de belangrijkste groep een voorstel, en spreek af wie de handschoen oppakt.",
        }
    }

    /// Minutes the timer starts with when the begeleider does not say otherwise.
    pub fn default_minutes(self) -> i64 {
        match self {
            Self::Lezen | Self::Schrijven | Self::Groeperen => 15,
            Self::Stemmen => 5,
            Self::Voorstellen => 20,
        }
    }

    /// The phase after this one (`None` after the last).
    pub fn next(self) -> Option<Self> {
        let at = Self::ALL.iter().position(|p| *p == self)?;
        Self::ALL.get(at + 1).copied()
    }
}

/// The longest timer a begeleider can set for one phase.
pub const MAX_PHASE_MINUTES: i64 = 180;

/// Checks the minutes typed for a phase's timer: empty is the phase's default, 0 is no timer.
pub fn check_phase_minutes(raw: &str, phase: Phase) -> Result<i64, FieldProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(phase.default_minutes());
    }
    match raw.parse::<i64>() {
        Ok(m) if (0..=MAX_PHASE_MINUTES).contains(&m) => Ok(m),
        _ => Err(problem(
            "minuten",
            format!("Vul een aantal minuten in van 0 tot {MAX_PHASE_MINUTES} (0 is zonder klok)."),
        )),
    }
}

/// A cluster of the whole session with its votes, for the plenary ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedCluster {
    pub cluster: String,
    pub name: String,
    pub table: String,
    pub votes: i64,
    pub notes: usize,
    /// 1 for the most votes; clusters with equal votes share a place.
    pub place: usize,
}

/// Ranks clusters of every table by their votes: most first, equal votes share a place
/// ("1, 2, 2, 4") and keep the order they came in (table order, then as made).
pub fn rank_clusters(mut clusters: Vec<RankedCluster>) -> Vec<RankedCluster> {
    // A stable sort keeps the incoming order among equals.
    clusters.sort_by_key(|c| std::cmp::Reverse(c.votes));
    let mut previous: Option<i64> = None;
    let mut place = 0;
    for (i, c) in clusters.iter_mut().enumerate() {
        if previous != Some(c.votes) {
            place = i + 1;
            previous = Some(c.votes);
        }
        c.place = place;
    }
    clusters
}

impl ProposalStatus {
    /// Finished proposals get no reminders.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Gerealiseerd | Self::Gestopt)
    }
}

pub const MAX_TITLE: usize = 150;
pub const MAX_PLACE: usize = 200;
pub const MAX_PURPOSE: usize = 2000;
pub const MAX_TABLE_NAME: usize = 60;
pub const MAX_DISPLAY_NAME: usize = 40;
pub const MAX_NOTE: usize = 1000;
pub const MAX_CLUSTER_NAME: usize = 80;
pub const MAX_PROPOSAL_FIELD: usize = 2000;
pub const MAX_UPDATE: usize = 3000;
pub const MAX_TABLES: usize = 20;

/// The report's lesson: a handful of cards and about ten stories is what a table can read.
pub const DEFAULT_MAX_CARDS: i32 = 5;
pub const DEFAULT_MAX_STORIES: i32 = 10;
pub const DEFAULT_VOTES: i32 = 3;
pub const DEFAULT_DURATION: i32 = 120;
pub const DEFAULT_REMIND_DAYS: i32 = 30;

fn problem(field: &'static str, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field,
        message: message.into(),
    }
}

/// Checks one typed text: required or not, and at most `max` characters.
fn check_text(
    problems: &mut Vec<FieldProblem>,
    field: &'static str,
    what: &str,
    value: &str,
    required: bool,
    max: usize,
) {
    let n = value.chars().count();
    if required && value.trim().is_empty() {
        problems.push(problem(field, format!("Vul {what} in.")));
    } else if n > max {
        problems.push(problem(
            field,
            format!("{what} is te lang: {n} tekens. Het mag {max} tekens zijn. Maak het korter."),
        ));
    }
}

/// A session's plan as typed by the begeleider.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SessionPlan {
    pub title: String,
    /// `jjjj-mm-dd`
    pub date: String,
    /// `uu:mm`
    pub time: String,
    pub duration_minutes: String,
    pub place: String,
    pub online: bool,
    pub purpose: String,
    pub max_cards: String,
    pub max_stories: String,
    pub votes_per_person: String,
    pub after_close: String,
}

/// A plan that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPlan {
    pub title: String,
    /// Local wall-clock time as Unix seconds (the installation's time zone is not known; the
    /// time is shown back exactly as typed).
    pub starts_at: i64,
    pub duration_minutes: i32,
    pub place: String,
    pub online: bool,
    pub purpose: String,
    pub max_cards: i32,
    pub max_stories: i32,
    pub votes_per_person: i32,
    pub after_close: AfterClose,
}

/// A whole number in `min..=max`, or a message.
fn number_in(
    problems: &mut Vec<FieldProblem>,
    field: &'static str,
    what: &str,
    raw: &str,
    default: i32,
    (min, max): (i32, i32),
) -> i32 {
    let raw = raw.trim();
    if raw.is_empty() {
        return default;
    }
    match raw.parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => n,
        _ => {
            problems.push(problem(
                field,
                format!("{what} moet een heel getal van {min} tot en met {max} zijn."),
            ));
            default
        }
    }
}

/// `uu:mm` as seconds after midnight.
fn parse_time(raw: &str) -> Option<i64> {
    let (h, m) = raw.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 3600 + m * 60)
}

impl SessionPlan {
    pub fn check(&self) -> Result<ValidPlan, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        check_text(
            &mut problems,
            "titel",
            "de naam van de sessie",
            &self.title,
            true,
            MAX_TITLE,
        );
        check_text(
            &mut problems,
            "plaats",
            "de plaats",
            &self.place,
            false,
            MAX_PLACE,
        );
        check_text(
            &mut problems,
            "doel",
            "het doel",
            &self.purpose,
            false,
            MAX_PURPOSE,
        );
        let day = crate::exchange::timestamp::parse_date(self.date.trim());
        if day.is_none() {
            problems.push(problem(
                "datum",
                "Vul de datum in als jaar-maand-dag, bijvoorbeeld 2026-12-01.",
            ));
        }
        let time = parse_time(&self.time);
        if time.is_none() {
            problems.push(problem(
                "tijd",
                "Vul de begintijd in als uren:minuten, bijvoorbeeld 19:30.",
            ));
        }
        let duration = number_in(
            &mut problems,
            "duur",
            "De duur in minuten",
            &self.duration_minutes,
            DEFAULT_DURATION,
            (15, 600),
        );
        let max_cards = number_in(
            &mut problems,
            "max_kaarten",
            "Het aantal kaarten per tafel",
            &self.max_cards,
            DEFAULT_MAX_CARDS,
            (1, 50),
        );
        let max_stories = number_in(
            &mut problems,
            "max_verhalen",
            "Het aantal verhalen per tafel",
            &self.max_stories,
            DEFAULT_MAX_STORIES,
            (1, 100),
        );
        let votes = number_in(
            &mut problems,
            "stemmen",
            "Het aantal stemmen per deelnemer",
            &self.votes_per_person,
            DEFAULT_VOTES,
            (0, 20),
        );
        let after_close = if self.after_close.trim().is_empty() {
            AfterClose::AlleenLezen
        } else {
            AfterClose::parse(&self.after_close).unwrap_or_else(|| {
                problems.push(problem(
                    "na_sluiten",
                    "Kies wat de link doet na het sluiten.",
                ));
                AfterClose::AlleenLezen
            })
        };
        match (day, time) {
            (Some(day), Some(time)) if problems.is_empty() => Ok(ValidPlan {
                title: self.title.trim().to_string(),
                starts_at: day + time,
                duration_minutes: duration,
                place: self.place.trim().to_string(),
                online: self.online,
                purpose: self.purpose.trim().to_string(),
                max_cards,
                max_stories,
                votes_per_person: votes,
                after_close,
            }),
            _ => Err(problems),
        }
    }
}

/// What a table has to read, against what fits in the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaterialLoad {
    pub cards: usize,
    pub stories: usize,
}

impl MaterialLoad {
    /// Plain warnings when a table gets more than people can read (empty when it fits).
    pub fn warnings(&self, max_cards: i32, max_stories: i32) -> Vec<String> {
        let mut out = Vec::new();
        let max_cards = usize::try_from(max_cards).unwrap_or(0);
        let max_stories = usize::try_from(max_stories).unwrap_or(0);
        if self.cards > max_cards {
            out.push(format!(
                "Deze tafel heeft {} kaarten. Meer dan {max_cards} is vaak te veel om in de tijd goed te lezen en te bespreken.",
                self.cards
            ));
        }
        if self.stories > max_stories {
            out.push(format!(
                "Deze tafel heeft {} verhalen. Meer dan {max_stories} lukt meestal niet om te lezen.",
                self.stories
            ));
        }
        out
    }
}

/// The name a participant types to join a table.
pub fn check_display_name(raw: &str) -> Result<String, FieldProblem> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(problem(
            "naam",
            "Vul een naam in. Een voornaam of een bijnaam is genoeg.",
        ));
    }
    let n = name.chars().count();
    if n > MAX_DISPLAY_NAME {
        return Err(problem(
            "naam",
            format!("Deze naam is te lang: {n} tekens. Gebruik er hoogstens {MAX_DISPLAY_NAME}."),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(problem(
            "naam",
            "Gebruik alleen letters, cijfers en leestekens.",
        ));
    }
    Ok(name.to_string())
}

/// A note as typed at a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NoteInput {
    pub kind: String,
    /// For an idea: what "we zouden eigenlijk … moeten doen"; otherwise the note itself.
    pub body: String,
    /// For an idea: "zodat …" (may stay empty).
    pub so_that: String,
    /// An observation or story at this table the note is about ('' for none).
    pub about: String,
}

/// A note that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidNote {
    pub kind: NoteKind,
    pub body: String,
    pub so_that: String,
}

impl NoteInput {
    pub fn check(&self) -> Result<ValidNote, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let kind = NoteKind::parse(&self.kind);
        if kind.is_none() {
            problems.push(problem("soort", "Kies wat voor notitie het is."));
        }
        let what = if kind == Some(NoteKind::Idee) {
            "wat we zouden moeten doen"
        } else {
            "je notitie"
        };
        check_text(&mut problems, "tekst", what, &self.body, true, MAX_NOTE);
        check_text(
            &mut problems,
            "notitie_zodat",
            "het stuk na 'zodat'",
            &self.so_that,
            false,
            MAX_NOTE,
        );
        match kind {
            Some(kind) if problems.is_empty() => Ok(ValidNote {
                kind,
                body: self.body.trim().to_string(),
                so_that: if kind == NoteKind::Idee {
                    self.so_that.trim().to_string()
                } else {
                    String::new()
                },
            }),
            _ => Err(problems),
        }
    }
}

/// A note as one sentence, the way it is read aloud and printed.
pub fn note_sentence(kind: NoteKind, body: &str, so_that: &str) -> String {
    match kind {
        NoteKind::Idee if so_that.trim().is_empty() => {
            format!("We zouden eigenlijk {} moeten doen.", body.trim())
        }
        NoteKind::Idee => format!(
            "We zouden eigenlijk {} moeten doen, zodat {}",
            body.trim(),
            so_that.trim()
        ),
        _ => body.trim().to_string(),
    }
}

/// The name of a cluster of notes.
pub fn check_cluster_name(raw: &str) -> Result<String, FieldProblem> {
    let mut problems = Vec::new();
    check_text(
        &mut problems,
        "cluster",
        "een naam voor de groep",
        raw,
        true,
        MAX_CLUSTER_NAME,
    );
    match problems.pop() {
        Some(p) => Err(p),
        None => Ok(raw.trim().to_string()),
    }
}

/// What a proposal written at a table comes from: a group of the table, a group made with it,
/// or no group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposalGroup {
    None,
    /// The id of a group of the table (the caller checks that it is one).
    Existing(String),
    /// The name of a group to make together with the proposal.
    New(String),
}

/// Reads the two group fields of the proposal form: `groep` (a group chosen from the list)
/// and `nieuwe_groep` (the name of a new one). Both at once is refused.
pub fn check_proposal_group(chosen: &str, new_name: &str) -> Result<ProposalGroup, FieldProblem> {
    let (chosen, new_name) = (chosen.trim(), new_name.trim());
    match (chosen.is_empty(), new_name.is_empty()) {
        (true, true) => Ok(ProposalGroup::None),
        (false, true) => Ok(ProposalGroup::Existing(chosen.to_string())),
        (true, false) => check_cluster_name(new_name)
            .map(ProposalGroup::New)
            .map_err(|p| FieldProblem {
                field: "nieuwe_groep",
                ..p
            }),
        (false, false) => Err(problem(
            "nieuwe_groep",
            "Kies een groep uit de lijst, of typ de naam van een nieuwe groep. Allebei kan niet.",
        )),
    }
}

/// Whether the handschoenoppakker's address is another one than before (capitals aside). A
/// new address gets a new personal link, so the old link stops working.
pub fn owner_address_changed(before: &str, after: &str) -> bool {
    !before.trim().eq_ignore_ascii_case(after.trim())
}

/// Whether the handschoenoppakker gets a mail with their personal link: when the proposal
/// names an address it did not name before (`before` is empty for a new proposal).
pub fn owner_mail_due(before: &str, after: &str) -> bool {
    !after.trim().is_empty() && owner_address_changed(before, after)
}

/// A verbetervoorstel as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProposalInput {
    pub title: String,
    pub action: String,
    pub so_that: String,
    pub first_step: String,
    pub owner_name: String,
    pub owner_email: String,
    pub level: String,
}

/// A proposal that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProposal {
    pub title: String,
    pub action: String,
    pub so_that: String,
    pub first_step: String,
    pub owner_name: String,
    pub owner_email: String,
    pub level: Level,
}

impl ProposalInput {
    pub fn check(&self) -> Result<ValidProposal, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let fields: [(&'static str, &str, &str, bool, usize); 5] = [
            ("titel", "een korte titel", &self.title, true, MAX_TITLE),
            (
                "wat",
                "wat we gaan doen",
                &self.action,
                true,
                MAX_PROPOSAL_FIELD,
            ),
            (
                "zodat",
                "wat het oplevert (zodat …)",
                &self.so_that,
                true,
                MAX_PROPOSAL_FIELD,
            ),
            (
                "eerste_stap",
                "de eerste concrete stap",
                &self.first_step,
                true,
                MAX_PROPOSAL_FIELD,
            ),
            (
                "eigenaar",
                "wie de handschoen oppakt",
                &self.owner_name,
                true,
                MAX_DISPLAY_NAME * 2,
            ),
        ];
        for (field, what, value, required, max) in fields {
            check_text(&mut problems, field, what, value, required, max);
        }
        let email = self.owner_email.trim();
        if !email.is_empty() && !plausible_email(email) {
            problems.push(problem(
                "eigenaar_email",
                "Dit e-mailadres klopt niet. Laat het leeg of vul een adres in zoals naam@voorbeeld.nl.",
            ));
        }
        let level = Level::parse(&self.level);
        if level.is_none() {
            problems.push(problem(
                "niveau",
                "Kies waar het voorstel hoort: lokaal, regionaal of landelijk.",
            ));
        }
        match level {
            Some(level) if problems.is_empty() => Ok(ValidProposal {
                title: self.title.trim().to_string(),
                action: self.action.trim().to_string(),
                so_that: self.so_that.trim().to_string(),
                first_step: self.first_step.trim().to_string(),
                owner_name: self.owner_name.trim().to_string(),
                owner_email: email.to_string(),
                level,
            }),
            _ => Err(problems),
        }
    }
}

/// One @, something on both sides, a dot in the domain, no spaces: enough to catch typing
/// errors (the mail server decides the rest).
pub fn plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
                && !domain.contains('@')
                && email.len() <= 254
        }
        None => false,
    }
}

/// A dated progress update on a proposal.
pub fn check_update(text: &str, status_changed: bool) -> Result<String, FieldProblem> {
    let mut problems = Vec::new();
    check_text(
        &mut problems,
        "voortgang",
        "wat er is gebeurd",
        text,
        !status_changed,
        MAX_UPDATE,
    );
    match problems.pop() {
        Some(p) => Err(p),
        None => Ok(text.trim().to_string()),
    }
}

/// Whether a proposal's owner is due for a reminder: it is open, has an address and a period,
/// and neither an update nor an earlier reminder happened within that period.
pub fn reminder_due(
    status: ProposalStatus,
    has_email: bool,
    remind_after_days: i32,
    last_activity_at: i64,
    reminded_at: Option<i64>,
    now: i64,
) -> bool {
    if !status.is_open() || !has_email || remind_after_days <= 0 {
        return false;
    }
    let period = i64::from(remind_after_days) * 86_400;
    let quiet_since = reminded_at.map_or(last_activity_at, |r| r.max(last_activity_at));
    now - quiet_since >= period
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> SessionPlan {
        SessionPlan {
            title: "Duidingssessie Noord".into(),
            date: "2026-12-01".into(),
            time: "19:30".into(),
            place: "Buurthuis De Linde".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plan_takes_defaults_and_the_typed_time() {
        let valid = plan().check().expect("valid");
        assert_eq!(valid.max_cards, DEFAULT_MAX_CARDS);
        assert_eq!(valid.max_stories, DEFAULT_MAX_STORIES);
        assert_eq!(valid.votes_per_person, DEFAULT_VOTES);
        assert_eq!(valid.after_close, AfterClose::AlleenLezen);
        let day = crate::exchange::timestamp::parse_date("2026-12-01").expect("date");
        assert_eq!(valid.starts_at - day, 19 * 3600 + 30 * 60);
    }

    #[test]
    fn a_plan_names_every_problem_at_once() {
        let bad = SessionPlan {
            title: " ".into(),
            date: "1-12".into(),
            time: "25:00".into(),
            max_cards: "0".into(),
            votes_per_person: "veel".into(),
            ..Default::default()
        };
        let fields: Vec<&str> = bad
            .check()
            .expect_err("invalid")
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["titel", "datum", "tijd", "max_kaarten", "stemmen"]);
    }

    #[test]
    fn too_much_material_is_warned_about() {
        let load = MaterialLoad {
            cards: 6,
            stories: 10,
        };
        let w = load.warnings(5, 10);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("6 kaarten"), "{w:?}");
        assert!(MaterialLoad {
            cards: 5,
            stories: 10
        }
        .warnings(5, 10)
        .is_empty());
        assert_eq!(
            MaterialLoad {
                cards: 1,
                stories: 11
            }
            .warnings(5, 10)
            .len(),
            1
        );
    }

    #[test]
    fn notes_must_have_text_and_fit() {
        let empty = NoteInput {
            kind: "idee".into(),
            ..Default::default()
        };
        let p = empty.check().expect_err("empty");
        assert_eq!(p[0].field, "tekst");
        assert!(p[0].message.contains("Vul wat we zouden moeten doen in"));
        let long = NoteInput {
            kind: "zorg".into(),
            body: "x".repeat(5000),
            ..Default::default()
        };
        let p = long.check().expect_err("long");
        assert!(p[0].message.contains("5000 tekens"), "{p:?}");
        let unknown = NoteInput {
            kind: "grap".into(),
            body: "hallo".into(),
            ..Default::default()
        };
        assert_eq!(unknown.check().expect_err("kind")[0].field, "soort");
    }

    #[test]
    fn only_ideas_keep_their_so_that() {
        let idea = NoteInput {
            kind: "idee".into(),
            body: " vaker samen met de jongere plannen ".into(),
            so_that: "zij zich gehoord voelt.".into(),
            about: String::new(),
        }
        .check()
        .expect("valid");
        assert_eq!(
            note_sentence(idea.kind, &idea.body, &idea.so_that),
            "We zouden eigenlijk vaker samen met de jongere plannen moeten doen, zodat zij zich gehoord voelt."
        );
        let worry = NoteInput {
            kind: "zorg".into(),
            body: "Lange wachtlijsten".into(),
            so_that: "vergeten".into(),
            about: String::new(),
        }
        .check()
        .expect("valid");
        assert_eq!(worry.so_that, "");
        assert_eq!(
            note_sentence(NoteKind::Idee, "iets", ""),
            "We zouden eigenlijk iets moeten doen."
        );
    }

    #[test]
    fn display_names_are_short_and_present() {
        assert_eq!(check_display_name("  Sam ").expect("ok"), "Sam");
        assert!(check_display_name("").is_err());
        assert!(check_display_name(&"a".repeat(41)).is_err());
        assert!(check_display_name("a\u{0007}b").is_err());
    }

    #[test]
    fn proposals_need_every_part_and_a_valid_address() {
        let good = ProposalInput {
            title: "Vaste contactpersoon".into(),
            action: "elke jongere één vaste contactpersoon geven".into(),
            so_that: "zij niet steeds opnieuw hun verhaal hoeven te doen".into(),
            first_step: "Overleg met de wijkteams in januari".into(),
            owner_name: "Femke (gemeente)".into(),
            owner_email: "".into(),
            level: "lokaal".into(),
        };
        assert_eq!(good.check().expect("valid").level, Level::Lokaal);
        let bad = ProposalInput {
            owner_email: "femke@".into(),
            level: "heelal".into(),
            first_step: String::new(),
            ..good
        };
        let fields: Vec<&str> = bad
            .check()
            .expect_err("invalid")
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["eerste_stap", "eigenaar_email", "niveau"]);
    }

    #[test]
    fn a_proposal_comes_from_a_chosen_group_or_a_new_one_but_not_both() {
        assert_eq!(check_proposal_group(" ", ""), Ok(ProposalGroup::None));
        assert_eq!(
            check_proposal_group("CL-1", " "),
            Ok(ProposalGroup::Existing("CL-1".into()))
        );
        assert_eq!(
            check_proposal_group("", "  Wachten "),
            Ok(ProposalGroup::New("Wachten".into()))
        );
        let both = check_proposal_group("CL-1", "Wachten").unwrap_err();
        assert_eq!(both.field, "nieuwe_groep");
        assert!(
            both.message.contains("Allebei kan niet"),
            "{}",
            both.message
        );
        let long = "x".repeat(MAX_CLUSTER_NAME + 1);
        let bad = check_proposal_group("", &long).unwrap_err();
        assert_eq!(bad.field, "nieuwe_groep");
        assert!(bad.message.contains("te lang"), "{}", bad.message);
    }

    #[test]
    fn the_owner_is_mailed_only_for_an_address_that_is_new() {
        // A new proposal with or without an address.
        assert!(owner_mail_due("", "femke@voorbeeld.nl"));
        assert!(!owner_mail_due("", " "));
        // The same address again (capitals and spaces aside): no second mail, same link.
        assert!(!owner_mail_due("femke@voorbeeld.nl", " Femke@Voorbeeld.nl"));
        assert!(!owner_address_changed(
            "femke@voorbeeld.nl",
            "Femke@voorbeeld.nl "
        ));
        // Another address: a mail to it and a new link.
        assert!(owner_mail_due("femke@voorbeeld.nl", "ahmed@voorbeeld.nl"));
        assert!(owner_address_changed(
            "femke@voorbeeld.nl",
            "ahmed@voorbeeld.nl"
        ));
        // The address taken away: no mail, but the old link stops working.
        assert!(!owner_mail_due("femke@voorbeeld.nl", ""));
        assert!(owner_address_changed("femke@voorbeeld.nl", ""));
    }

    #[test]
    fn email_plausibility() {
        assert!(plausible_email("a@b.nl"));
        for bad in ["a", "@b.nl", "a@b", "a@.nl", "a@b.", "a b@c.nl", "a@b@c.nl"] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }

    #[test]
    fn updates_need_text_unless_the_status_changed() {
        assert!(check_update("  ", false).is_err());
        assert_eq!(check_update("  ", true).expect("ok"), "");
        assert!(check_update(&"x".repeat(MAX_UPDATE + 1), true).is_err());
    }

    #[test]
    fn reminders_follow_the_quiet_period() {
        let day = 86_400;
        let open = ProposalStatus::Opgepakt;
        assert!(!reminder_due(open, true, 30, 0, None, 29 * day));
        assert!(reminder_due(open, true, 30, 0, None, 30 * day));
        // Reminded at day 30: the next one comes 30 days later, not at once.
        assert!(!reminder_due(open, true, 30, 0, Some(30 * day), 31 * day));
        assert!(reminder_due(open, true, 30, 0, Some(30 * day), 60 * day));
        // An update after the reminder restarts the period.
        assert!(!reminder_due(
            open,
            true,
            30,
            50 * day,
            Some(30 * day),
            60 * day
        ));
        assert!(!reminder_due(
            ProposalStatus::Gerealiseerd,
            true,
            30,
            0,
            None,
            90 * day
        ));
        assert!(!reminder_due(open, false, 30, 0, None, 90 * day));
        assert!(!reminder_due(open, true, 0, 0, None, 90 * day));
    }

    #[test]
    fn keys_round_trip() {
        for s in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::parse(s.key()), Some(*s));
        }
        assert_eq!(Perspective::parse("beleid"), Some(Perspective::Beleid));
        assert_eq!(Perspective::parse("x"), None);
        assert_eq!(TableColour::options().len(), 7);
    }

    #[test]
    fn phases_follow_each_other_and_end_after_proposals() {
        assert_eq!(Phase::Lezen.next(), Some(Phase::Schrijven));
        assert_eq!(Phase::Stemmen.next(), Some(Phase::Voorstellen));
        assert_eq!(Phase::Voorstellen.next(), None);
        assert_eq!(Phase::parse(" stemmen "), Some(Phase::Stemmen));
        assert!(Phase::ALL.iter().all(|p| !p.instruction().is_empty()));
    }

    #[test]
    fn phase_minutes_default_zero_and_bounds() {
        assert_eq!(check_phase_minutes("", Phase::Stemmen), Ok(5));
        assert_eq!(check_phase_minutes(" 0 ", Phase::Lezen), Ok(0));
        assert_eq!(check_phase_minutes("180", Phase::Lezen), Ok(180));
        for bad in ["181", "-1", "tien", "2.5"] {
            let refused = check_phase_minutes(bad, Phase::Lezen).unwrap_err();
            assert_eq!(refused.field, "minuten", "{bad}");
        }
    }

    #[test]
    fn ranking_shares_places_and_keeps_order_among_equals() {
        let c = |cluster: &str, votes: i64| RankedCluster {
            cluster: cluster.into(),
            name: cluster.into(),
            table: "T".into(),
            votes,
            notes: 1,
            place: 0,
        };
        let ranked = rank_clusters(vec![c("a", 2), c("b", 5), c("c", 2), c("d", 0), c("e", 5)]);
        let got: Vec<(&str, usize)> = ranked
            .iter()
            .map(|r| (r.cluster.as_str(), r.place))
            .collect();
        assert_eq!(got, [("b", 1), ("e", 1), ("a", 3), ("c", 3), ("d", 5)]);
    }
}
