//! Rendering text for people: tera templates compiled into the binary from `templates/`, with
//! the interface texts of each language ([`i18n`]). Pages and mails both render here, so the
//! command line can compose mails without the web layer.

pub mod dates;
pub mod i18n;
pub mod numbers;
pub mod qr;
pub mod session;

use i18n::Catalogs;
use rust_embed::RustEmbed;
use std::sync::Arc;
use tera::{Context, Tera};

#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

#[derive(Clone)]
pub struct Renderer {
    tera: Arc<Tera>,
    pub catalogs: Catalogs,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template {0} is not valid UTF-8")]
    Encoding(String),
    #[error("template error: {0:?}")]
    Tera(#[from] tera::Error),
}

impl Renderer {
    pub fn load(catalogs: Catalogs) -> Result<Self, RenderError> {
        let mut tera = Tera::default();
        let mut sources = Vec::new();
        for name in TemplateFiles::iter() {
            let file =
                TemplateFiles::get(&name).ok_or_else(|| RenderError::Encoding(name.to_string()))?;
            let text = String::from_utf8(file.data.into_owned())
                .map_err(|_| RenderError::Encoding(name.to_string()))?;
            sources.push((name.to_string(), text));
        }
        tera.add_raw_templates(sources)?;
        // Everything is escaped unless a template says otherwise; story text never is.
        tera.autoescape_on(vec![".html"]);
        Ok(Self {
            tera: Arc::new(tera),
            catalogs,
        })
    }

    /// A context with the language's texts under `t`, the language under `lang`, its writing
    /// direction (`"ltr"` or `"rtl"`) under `dir`, and every language of the interface (code,
    /// own name, direction) under `languages` for the language list, and how the language
    /// groups thousands under `grouping` (for the script that counts characters).
    pub fn context(&self, lang: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("t", self.catalogs.texts(lang));
        ctx.insert("lang", lang);
        ctx.insert("dir", i18n::direction(lang));
        ctx.insert("languages", &i18n::languages());
        ctx.insert("grouping", &numbers::grouping(lang));
        ctx
    }

    pub fn render(&self, template: &str, ctx: &Context) -> Result<String, RenderError> {
        Ok(self.tera.render(template, ctx)?)
    }
}
