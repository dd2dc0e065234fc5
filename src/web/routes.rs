//! The one route table: every URL of Vertelpunt, top to bottom in the order of the StoryCycle,
//! with the handler that answers it and who may reach it. Read it as the map of the product.
//!
//! URLs are Dutch (they are what people see and share); handlers, modules and services are
//! English (docs/architecture.md has the glossary). Order matters where a fixed name and a
//! parameter share a place (`observaties/kaarten.pdf` before `observaties/{id}`).
//!
//! [`TABLE`] is the same list as data: the access-rights test in `tests/app/access.rs` walks
//! it, so a route cannot be added without saying who may reach it and having that checked.

use super::{admin, api, assets, proposal, sensemaking, storytelling};
use crate::domain::accounts::ProjectAction;
use crate::domain::accounts::ProjectAction::{Edit, Export, Facilitate, Moderate, Read};
use actix_web::{guard, web};

/// Who may reach a route. The handler enforces it; the table states it so that it can be
/// tested for every route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: storytellers, visitors, health checks.
    Anyone,
    /// Whoever holds the sensemaking session's join code (`/s/{code}`).
    Participant,
    /// Whoever holds the owner link of a verbetervoorstel (`/voorstel/{id}/{token}`).
    OwnerLink,
    /// Whoever holds a one-time link (setup, invitation, password reset).
    OneTimeLink,
    /// A personal API token with the read right on the project.
    ApiToken,
    /// Any signed-in staff account.
    SignedIn,
    /// Admins of the installation only.
    Admin,
    /// A signed-in account whose role on `{project}` allows this action.
    Project(ProjectAction),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

macro_rules! route_table {
    ($($method:ident $path:literal => $handler:path, $access:expr;)*) => {
        /// Every route, in registration order.
        pub const TABLE: &[Route] = &[
            $(Route { method: Method::$method, path: $path, access: $access },)*
        ];

        /// Registers every route of [`TABLE`] with its handler.
        pub fn configure(cfg: &mut web::ServiceConfig) {
            cfg.app_data(web::PayloadConfig::new(super::MAX_BODY_BYTES));
            $(cfg.route($path, route_table!(@method $method).to($handler));)*
        }
    };
    // HEAD is answered like GET (actix sends no body for it): link checkers and monitors ask.
    (@method Get) => { web::route().guard(guard::Any(guard::Get()).or(guard::Head())) };
    (@method Post) => { web::post() };
}

use Access::{Admin, Anyone, ApiToken, OneTimeLink, OwnerLink, Participant, Project, SignedIn};

route_table! {
    // --- Around every page ----------------------------------------------------------------------
    Get  "/" => storytelling::landing::home, Anyone;
    Get  "/healthz" => super::health, Anyone;
    Get  "/taal" => super::switch_language, Anyone;
    Get  "/assets/{path:.*}" => assets::serve, Anyone;
    Get  "/toegankelijkheid" => storytelling::landing::accessibility, Anyone;

    // --- 1. Delen en duiden: the vertelpunt ----------------------------------------------------
    Get  "/v/{project}" => storytelling::landing::landing, Anyone;
    Get  "/v/{project}/vertel" => storytelling::story::form, Anyone;
    Post "/v/{project}/vertel" => storytelling::story::submit, Anyone;
    Post "/v/{project}/vertel/wissel" => storytelling::story::switch, Anyone;
    Post "/v/{project}/vertel/later" => storytelling::story::save_draft, Anyone;
    Post "/v/{project}/vertel/nieuw" => storytelling::story::start_new, Anyone;
    Get  "/v/{project}/verder" => storytelling::resume::form, Anyone;
    Post "/v/{project}/verder" => storytelling::resume::resume, Anyone;
    Post "/v/{project}/vervolg" => storytelling::story::next_story, Anyone;
    Get  "/v/{project}/p/{code}" => storytelling::landing::place_link, Anyone;
    Get  "/v/{project}/privacy" => storytelling::landing::privacy, Anyone;
    Get  "/v/{project}/intrekken" => storytelling::withdraw::form, Anyone;
    Post "/v/{project}/intrekken" => storytelling::withdraw::check, Anyone;
    Post "/v/{project}/intrekken/bevestig" => storytelling::withdraw::confirm, Anyone;
    Get  "/v/{project}/resultaten" => storytelling::results::show, Anyone;
    Post "/v/{project}/resultaten" => storytelling::results::story_path, Anyone;
    Get  "/v/{project}/tafel" => storytelling::table::start, Anyone;
    Post "/v/{project}/tafel" => storytelling::table::enter, Anyone;
    Post "/v/{project}/tafel/verlaten" => storytelling::table::leave, Anyone;
    Get  "/v/{project}/tafel/vertel" => storytelling::table::form, Anyone;
    Post "/v/{project}/tafel/vertel" => storytelling::table::submit, Anyone;
    Post "/v/{project}/tafel/wissel" => storytelling::table::switch, Anyone;
    Post "/v/{project}/tafel/nasturen" => storytelling::table_offline::send, Anyone;
    Get  "/v/{project}/tafel.webmanifest" => storytelling::table_offline::manifest, Anyone;
    Get  "/v/{project}/tafel-sw.js" => storytelling::table_offline::service_worker, Anyone;

    // --- Signing in (staff) ---------------------------------------------------------------------
    Get  "/beheer/inloggen" => admin::login::login_form, Anyone;
    Post "/beheer/inloggen" => admin::login::login, Anyone;
    Post "/beheer/uitloggen" => admin::login::logout, SignedIn;
    Get  "/beheer/installeren/{token}" => admin::login::setup_form, OneTimeLink;
    Post "/beheer/installeren/{token}" => admin::login::setup, OneTimeLink;
    Get  "/beheer/wachtwoord-vergeten" => admin::login::forgot_form, Anyone;
    Post "/beheer/wachtwoord-vergeten" => admin::login::forgot, Anyone;
    Get  "/beheer/wachtwoord/{token}" => admin::login::password_form, OneTimeLink;
    Post "/beheer/wachtwoord/{token}" => admin::login::set_password, OneTimeLink;
    Get  "/beheer/account" => admin::account::show, SignedIn;
    Post "/beheer/account/sleutels" => admin::account::create_token, SignedIn;
    Post "/beheer/account/sleutels/{id}/intrekken" => admin::account::revoke_token, SignedIn;

    // --- The installation: projects, users, audit log -------------------------------------------
    Get  "/beheer" => admin::home::overview, SignedIn;
    Get  "/beheer/projecten/nieuw" => admin::projects::new_form, Admin;
    Post "/beheer/projecten/nieuw" => admin::projects::create, Admin;
    Get  "/beheer/gebruikers" => admin::users::list, Admin;
    Get  "/beheer/gebruikers/uitnodigen" => admin::users::invite_form, Admin;
    Post "/beheer/gebruikers/uitnodigen" => admin::users::invite, Admin;
    Get  "/beheer/gebruikers/{id}" => admin::users::edit_form, Admin;
    Post "/beheer/gebruikers/{id}" => admin::users::edit, Admin;
    Get  "/beheer/logboek" => admin::audit::log, Admin;

    // --- One project: settings, questionnaire, privacy ------------------------------------------
    Get  "/beheer/p/{project}" => admin::home::project, Project(Read);
    Get  "/beheer/p/{project}/qr.svg" => admin::home::qr_code, Project(Read);
    Get  "/beheer/p/{project}/instellingen" => admin::projects::settings_form, Project(Edit);
    Post "/beheer/p/{project}/instellingen" => admin::projects::save_settings, Project(Edit);
    Post "/beheer/p/{project}/rollen" => admin::projects::save_roles, Project(Edit);
    Post "/beheer/p/{project}/{verb:openen|sluiten}" => admin::projects::set_open, Project(Edit);
    Get  "/beheer/p/{project}/vragenlijst" => admin::questionnaire::overview, Project(Edit);
    Get  "/beheer/p/{project}/vragenlijst.json" => admin::questionnaire::download, Project(Read);
    Get  "/beheer/p/{project}/vragenlijst/nieuw" => admin::questionnaire::new_form, Project(Edit);
    Post "/beheer/p/{project}/vragenlijst/nieuw" => admin::questionnaire::add, Project(Edit);
    Get  "/beheer/p/{project}/vragenlijst/vraag/{key}" => admin::questionnaire::edit_form, Project(Edit);
    Post "/beheer/p/{project}/vragenlijst/vraag/{key}" => admin::questionnaire::save, Project(Edit);
    Post "/beheer/p/{project}/vragenlijst/vraag/{key}/{action}" => admin::questionnaire::question_action, Project(Edit);
    Post "/beheer/p/{project}/vragenlijst/kernvragen" => admin::questionnaire::core, Project(Edit);
    Get  "/beheer/p/{project}/vragenlijst/importeren" => admin::questionnaire::import_form, Project(Edit);
    Post "/beheer/p/{project}/vragenlijst/importeren" => admin::questionnaire::import, Project(Edit);
    Post "/beheer/p/{project}/vragenlijst/talen" => admin::questionnaire::set_language, Project(Edit);
    Get  "/beheer/p/{project}/vragenlijst/vertaling/{taal}.po" => admin::questionnaire::translation_file, Project(Read);
    Post "/beheer/p/{project}/vragenlijst/vertaling" => admin::questionnaire::upload_translation, Project(Edit);
    Post "/beheer/p/{project}/vragenlijst/vertalingen-overnemen" => admin::questionnaire::adopt_translations, Project(Edit);
    Get  "/beheer/p/{project}/privacy" => admin::privacy::form, Project(Edit);
    Post "/beheer/p/{project}/privacy" => admin::privacy::save, Project(Edit);

    // --- Stories: reading and moderating --------------------------------------------------------
    Get  "/beheer/p/{project}/verhalen" => admin::stories::list, Project(Read);
    Get  "/beheer/p/{project}/verhalen/{id}" => admin::stories::show, Project(Read);
    Post "/beheer/p/{project}/verhalen/{id}/bekeken" => admin::stories::mark_reviewed, Project(Moderate);
    Post "/beheer/p/{project}/verhalen/{id}/verbergen" => admin::stories::hide, Project(Moderate);
    Post "/beheer/p/{project}/verhalen/{id}/tonen" => admin::stories::unhide, Project(Moderate);
    Post "/beheer/p/{project}/verhalen/{id}/weglakken" => admin::stories::redact, Project(Moderate);
    Post "/beheer/p/{project}/verhalen/{id}/signaal-afgehandeld" => admin::stories::safety_handled, Project(Moderate);
    Post "/beheer/p/{project}/verhalen/{id}/term" => admin::stories::add_term, Project(Edit);

    // --- Verteltafels: stories taken in person, one teller after another ------------------------
    Get  "/beheer/p/{project}/verteltafels" => admin::story_tables::list, Project(Read);
    Post "/beheer/p/{project}/verteltafels" => admin::story_tables::open, Project(Facilitate);
    Post "/beheer/p/{project}/verteltafels/{id}/sluiten" => admin::story_tables::close, Project(Facilitate);

    // --- Respons: who tells, from which place, against the targets; where tellers drop out ------
    Get  "/beheer/p/{project}/respons" => admin::response::show, Project(Read);
    Post "/beheer/p/{project}/respons/plekken" => admin::response::add_place, Project(Facilitate);
    Post "/beheer/p/{project}/respons/plekken/{code}" => admin::response::rename_place, Project(Facilitate);
    Post "/beheer/p/{project}/respons/doelen" => admin::response::save_targets, Project(Facilitate);
    Get  "/beheer/p/{project}/campagne" => admin::campaign::show, Project(Read);
    Get  "/beheer/p/{project}/campagne/campagne.zip" => admin::campaign::bundle, Project(Read);
    Get  "/beheer/p/{project}/campagne/plekken/{code}/qr.svg" => admin::campaign::place_qr, Project(Read);
    Get  "/beheer/p/{project}/campagne/{lang}" => admin::campaign::texts, Project(Read);
    Post "/beheer/p/{project}/campagne/{lang}/{role}" => admin::campaign::save, Project(Facilitate);
    Get  "/beheer/p/{project}/campagne/{lang}/{role}/{format:poster-a3|poster-a4|flyer-a5}.pdf" => admin::campaign::print, Project(Read);

    // --- 2. Patroonevaluatie: figures, patterns, observations -----------------------------------
    Get  "/beheer/p/{project}/cijfers" => admin::dashboard::dashboard, Project(Read);
    Get  "/beheer/p/{project}/patronen" => admin::patterns::patterns, Project(Read);
    Get  "/beheer/p/{project}/verkennen" => admin::explore::explore, Project(Read);
    Get  "/beheer/p/{project}/vergelijk" => admin::compare::compare, Project(Read);
    Post "/beheer/p/{project}/vergelijk/kaart" => admin::compare::card, Project(Facilitate);
    Get  "/beheer/p/{project}/vergelijk/projecten" => admin::compare_projects::compare, Project(Read);
    Post "/beheer/p/{project}/vergelijk/projecten/kaart" => admin::compare_projects::card, Project(Facilitate);
    Get  "/beheer/p/{project}/observaties/kaarten.pdf" => admin::observation_pdf::deck_pdf, Project(Read);
    Get  "/beheer/p/{project}/observaties/ervaringen.pdf" => admin::observation_pdf::booklet_pdf, Project(Read);
    Get  "/beheer/p/{project}/observaties/{id}/kaart.pdf" => admin::observation_pdf::card_pdf, Project(Read);
    Get  "/beheer/p/{project}/observaties" => admin::observations::list, Project(Read);
    Post "/beheer/p/{project}/observaties" => admin::observations::create, Project(Facilitate);
    Get  "/beheer/p/{project}/observaties/{id}" => admin::observations::show, Project(Read);
    Post "/beheer/p/{project}/observaties/{id}" => admin::observations::save, Project(Facilitate);
    Get  "/beheer/p/{project}/observaties/{id}/kaart" => admin::observations::card, Project(Read);
    Post "/beheer/p/{project}/observaties/{id}/cijfers" => admin::observations::refresh, Project(Facilitate);
    Post "/beheer/p/{project}/observaties/{id}/verhalen" => admin::observations::add_stories, Project(Facilitate);
    Post "/beheer/p/{project}/observaties/{id}/verhalen/{story}/weg" => admin::observations::remove_story, Project(Facilitate);
    Post "/beheer/p/{project}/observaties/{id}/citaten" => admin::observations::add_quote, Project(Facilitate);
    Post "/beheer/p/{project}/observaties/{id}/citaten/{quote}/weg" => admin::observations::remove_quote, Project(Facilitate);

    // --- 3. Duidingssessies: the begeleider's side ----------------------------------------------
    Get  "/beheer/p/{project}/sessies" => admin::sensemaking::list, Project(Read);
    Post "/beheer/p/{project}/sessies" => admin::sensemaking::create, Project(Facilitate);
    Get  "/beheer/p/{project}/sessies/{id}" => admin::sensemaking::show, Project(Read);
    Post "/beheer/p/{project}/sessies/{id}" => admin::sensemaking::save, Project(Facilitate);
    Get  "/beheer/p/{project}/sessies/{id}/verslag" => admin::sensemaking::report, Project(Read);
    Get  "/beheer/p/{project}/sessies/{id}/verslag.pdf" => admin::sensemaking::report_pdf, Project(Read);
    Post "/beheer/p/{project}/sessies/{id}/tafels" => admin::sensemaking::add_table, Project(Facilitate);
    Get  "/beheer/p/{project}/sessies/{id}/tafels/{table}" => admin::sensemaking::table, Project(Read);
    Post "/beheer/p/{project}/sessies/{id}/tafels/{table}" => admin::sensemaking::save_table, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/tafels/{table}/materiaal" => admin::sensemaking::set_material, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/tafels/{table}/notities/{note}/weg" => admin::sensemaking::remove_note, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/tafels/{table}/weg" => admin::sensemaking::remove_table, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/{verb:sluiten|openen}" => admin::sensemaking::set_closed, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/nieuwe-link" => admin::sensemaking::renew_link, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/uitnodigen" => admin::sensemaking::invite, Project(Facilitate);
    Get  "/beheer/p/{project}/sessies/{id}/cockpit" => admin::cockpit::show, Project(Read);
    Get  "/beheer/p/{project}/sessies/{id}/cockpit/stand" => admin::cockpit::stand, Project(Read);
    Get  "/beheer/p/{project}/sessies/{id}/cockpit/bord" => admin::cockpit::room, Project(Read);
    Get  "/beheer/p/{project}/sessies/{id}/cockpit.pdf" => admin::cockpit::room_pdf, Project(Read);
    Post "/beheer/p/{project}/sessies/{id}/cockpit/fase" => admin::cockpit::phase, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/cockpit/stemmen" => admin::cockpit::votes, Project(Facilitate);
    Get  "/beheer/p/{project}/sessies/{id}/cockpit/groepen" => admin::cockpit::regroup, Project(Read);
    Post "/beheer/p/{project}/sessies/{id}/cockpit/groepen" => admin::cockpit::add_cluster, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/cockpit/groepen/{cluster}" => admin::cockpit::rename_cluster, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/cockpit/groepen/{cluster}/samenvoegen" => admin::cockpit::merge_clusters, Project(Facilitate);
    Post "/beheer/p/{project}/sessies/{id}/cockpit/notities/{note}/groep" => admin::cockpit::move_note, Project(Facilitate);
    Get  "/beheer/p/{project}/sessies/{id}/tafels/{table}/bord.pdf" => admin::cockpit::table_pdf, Project(Read);

    // --- 3. Duidingssessies: a participant at a table -------------------------------------------
    Get  "/s/{code}" => sensemaking::join_form, Participant;
    Post "/s/{code}" => sensemaking::join, Participant;
    Get  "/s/{code}/tafel" => sensemaking::table, Participant;
    Get  "/s/{code}/tafel/stand" => sensemaking::actions::revision, Participant;
    Get  "/s/{code}/tafel/bord" => sensemaking::actions::board_fragment, Participant;
    Get  "/s/{code}/verslag" => sensemaking::report, Participant;
    Post "/s/{code}/notities" => sensemaking::actions::add_note, Participant;
    Post "/s/{code}/notities/{id}/weg" => sensemaking::actions::delete_note, Participant;
    Post "/s/{code}/notities/{id}/groep" => sensemaking::actions::move_note, Participant;
    Post "/s/{code}/groepen" => sensemaking::actions::add_cluster, Participant;
    Post "/s/{code}/groepen/{id}" => sensemaking::actions::rename_cluster, Participant;
    Post "/s/{code}/groepen/{id}/weg" => sensemaking::actions::delete_cluster, Participant;
    Post "/s/{code}/groepen/{id}/stem" => sensemaking::actions::vote, Participant;
    Post "/s/{code}/voorstellen" => sensemaking::actions::propose, Participant;
    Post "/s/{code}/voorstellen/{id}" => sensemaking::actions::edit_proposal, Participant;

    // --- 4. Beslissen en volgen: verbetervoorstellen --------------------------------------------
    Get  "/beheer/p/{project}/voorstellen" => admin::proposals::list, Project(Read);
    Get  "/beheer/p/{project}/voorstellen/export" => admin::proposals::export, Project(Read);
    Get  "/beheer/p/{project}/voorstellen/{id}" => admin::proposals::show, Project(Read);
    Post "/beheer/p/{project}/voorstellen/{id}" => admin::proposals::save, Project(Facilitate);
    Post "/beheer/p/{project}/voorstellen/{id}/voortgang" => admin::proposals::update, Project(Facilitate);
    Get  "/beheer/p/{project}/resultaten" => admin::public_results::settings, Project(Read);
    Post "/beheer/p/{project}/resultaten/{verb:aanzetten|uitzetten}" => admin::public_results::switch, Project(Facilitate);
    Post "/beheer/p/{project}/resultaten/observaties/{id}/{verb:publiceren|terugtrekken}" => admin::public_results::publish, Project(Facilitate);
    Get  "/voorstel/{id}/{token}" => proposal::show, OwnerLink;
    Post "/voorstel/{id}/{token}" => proposal::update, OwnerLink;

    // --- Research: export and API ---------------------------------------------------------------
    Get  "/beheer/p/{project}/export" => admin::export::form, Project(Export);
    Post "/beheer/p/{project}/export" => admin::export::download, Project(Export);
    Get  "/beheer/p/{project}/export/codeboek.json" => admin::export::codebook, Project(Export);
    Get  "/api/v1/projecten" => api::projects, ApiToken;
    Get  "/api/v1/projecten/{project}/verhalen" => api::stories, ApiToken;
    Get  "/api/v1/openapi.json" => api::openapi, Anyone;
    Get  "/api/v1/docs" => api::docs, Anyone;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_route_is_listed_once() {
        let mut seen = HashSet::new();
        for r in TABLE {
            assert!(
                seen.insert((r.method, r.path)),
                "{:?} {} is listed twice",
                r.method,
                r.path
            );
        }
    }

    #[test]
    fn staff_pages_live_under_beheer_and_only_there() {
        for r in TABLE {
            let staff = matches!(
                r.access,
                Access::SignedIn | Access::Admin | Access::Project(_)
            );
            if staff {
                assert!(r.path.starts_with("/beheer"), "{} is for staff", r.path);
            }
            if matches!(r.access, Access::Project(_)) {
                assert!(r.path.starts_with("/beheer/p/{project}"), "{}", r.path);
            }
        }
    }
}
