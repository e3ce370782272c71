//! Items: one normalised piece of evidence each.
//!
//! Parsers hand items to a [`Sink`](super::Sink) as borrowed views
//! ([`ItemView`]) over the text they are reading, so a line that matches
//! nothing costs no allocation; the owned forms ([`ItemKind`]) are for
//! values that must outlive the line, such as a policy's own examples.

use serde::{Deserialize, Serialize};

use crate::ident::{Ecosystem, Host, Sha256};

/// Which kind of evidence an item is; the JSON report writes it lower-case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Package,
    App,
    Endpoint,
    File,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Package => "package",
            Kind::App => "app",
            Kind::Endpoint => "endpoint",
            Kind::File => "file",
        }
    }
}

/// An owned item, for values kept beyond one line (policy examples).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Package(Package),
    App(App),
    Endpoint(Endpoint),
    File(FileItem),
}

impl ItemKind {
    pub fn view(&self) -> ItemView<'_> {
        match self {
            ItemKind::Package(p) => ItemView::Package(p),
            ItemKind::App(a) => ItemView::App(a.view()),
            ItemKind::Endpoint(e) => ItemView::Endpoint(e.view()),
            ItemKind::File(f) => ItemView::File(FileView {
                sha256: &f.sha256,
                name: f.name.as_deref(),
            }),
        }
    }
}

/// A dependency of a code project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// The name as the manifest writes it.
    pub name: String,
    /// The lookup key, from [`Ecosystem::package_key`].
    pub key: String,
    /// The exact version when the manifest pins one (`==1.2.3`), else `None`.
    pub version: Option<String>,
    /// The requirement as written when it is a range (`>=1.0,<2`), for reports.
    pub requirement: Option<String>,
    /// Names from the project root to this package, both included, when
    /// the file has the dependency graph (`app → langchain →
    /// langchain-deepseek`); empty when it does not.
    pub path: Vec<String>,
    /// Whether the project itself asks for it (`Some(false)`: only another
    /// package does); `None` when the file cannot tell.
    pub direct: Option<bool>,
    /// What it is needed for, when not for the project's own running.
    pub scope: Option<DepScope>,
    /// The device it is installed on, for a system package from a device
    /// inventory (`dpkg-query` output of one machine, an osquery result
    /// log); `None` in a code project.
    pub device: Option<String>,
}

/// Why a project needs a dependency, where its files say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DepScope {
    /// Development and tests only (`devDependencies`, `[dev-dependencies]`,
    /// dependency groups).
    Dev,
    /// Installed only on request (optional dependencies, extras).
    Optional,
    /// Provided by the host project (npm peer dependencies).
    Peer,
    /// Needed to build, not to run (`[build-dependencies]`).
    Build,
}

/// An installed application on a device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct App {
    pub name: Option<String>,
    pub publisher: Option<String>,
    pub version: Option<String>,
    pub bundle_id: Option<String>,
    /// A browser extension's id; an extension is an app with this and no
    /// bundle id, so rules for one never match the other.
    pub extension_id: Option<String>,
    pub platform: Option<String>,
    pub device: Option<String>,
    /// On how many devices the export says the app is, when it counts
    /// them instead of naming them (Intune's aggregate "Discovered apps").
    pub device_count: Option<u64>,
}

impl App {
    pub fn view(&self) -> AppView<'_> {
        AppView {
            name: self.name.as_deref(),
            publisher: self.publisher.as_deref(),
            version: self.version.as_deref(),
            bundle_id: self.bundle_id.as_deref(),
            extension_id: self.extension_id.as_deref(),
            platform: self.platform.as_deref(),
            device: self.device.as_deref(),
            device_count: self.device_count,
        }
    }
}

/// A host or address the evidence shows being used or allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub host: Host,
    /// The URL it was taken from, when the evidence had one.
    pub url: Option<String>,
    /// Who asked for it, in a log that says (a client address or name).
    pub client: Option<String>,
    /// When, as the log writes the time.
    pub time: Option<String>,
    /// Where in a configuration file the entry is (`egress.allow[3]`).
    pub key: Option<String>,
    /// See [`EndpointView::each_line`].
    pub each_line: bool,
}

impl Endpoint {
    /// An endpoint named outside any log: no client, no time.
    pub fn of(host: Host, url: Option<String>) -> Endpoint {
        Endpoint {
            host,
            url,
            client: None,
            time: None,
            key: None,
            each_line: false,
        }
    }

    pub fn view(&self) -> EndpointView<'_> {
        EndpointView {
            host: &self.host,
            url: self.url.as_deref(),
            client: self.client.as_deref(),
            time: self.time.as_deref(),
            key: self.key.as_deref(),
            each_line: self.each_line,
        }
    }
}

/// A file identified by its digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileItem {
    pub sha256: Sha256,
    pub name: Option<String>,
}

/// An item as a parser hands it over: borrowed from the text being read.
#[derive(Clone, Copy, Debug)]
pub enum ItemView<'a> {
    Package(&'a Package),
    App(AppView<'a>),
    Endpoint(EndpointView<'a>),
    File(FileView<'a>),
}

impl ItemView<'_> {
    pub fn kind(&self) -> Kind {
        match self {
            ItemView::Package(_) => Kind::Package,
            ItemView::App(_) => Kind::App,
            ItemView::Endpoint(_) => Kind::Endpoint,
            ItemView::File(_) => Kind::File,
        }
    }
}

/// An app row's cells, trimmed, each `None` when the column is absent or empty.
#[derive(Clone, Copy, Debug, Default)]
pub struct AppView<'a> {
    pub name: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub version: Option<&'a str>,
    pub bundle_id: Option<&'a str>,
    pub extension_id: Option<&'a str>,
    pub platform: Option<&'a str>,
    pub device: Option<&'a str>,
    /// The export's count of devices, for a row that names none.
    pub device_count: Option<u64>,
}

#[derive(Clone, Copy, Debug)]
pub struct EndpointView<'a> {
    pub host: &'a Host,
    pub url: Option<&'a str>,
    /// Who asked for it, in a log that says: findings are folded per
    /// host and client.
    pub client: Option<&'a str>,
    /// When, as the log writes the time: a finding keeps its first and
    /// last.
    pub time: Option<&'a str>,
    /// Where in a configuration file the entry is, as a key path
    /// (`egress.allow[3]`): a reader finds a line, a reviewer the rule.
    pub key: Option<&'a str>,
    /// A finding of its own on each line, as a linter reports a call in
    /// source code, rather than one per host folded over the file.
    pub each_line: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct FileView<'a> {
    pub sha256: &'a Sha256,
    pub name: Option<&'a str>,
}

impl ItemView<'_> {
    /// An owned copy, for the rare item kept beyond its line.
    pub fn to_owned_item(&self) -> ItemKind {
        let s = |v: Option<&str>| v.map(str::to_string);
        match *self {
            ItemView::Package(p) => ItemKind::Package(p.clone()),
            ItemView::App(a) => ItemKind::App(App {
                name: s(a.name),
                publisher: s(a.publisher),
                version: s(a.version),
                bundle_id: s(a.bundle_id),
                extension_id: s(a.extension_id),
                platform: s(a.platform),
                device: s(a.device),
                device_count: a.device_count,
            }),
            ItemView::Endpoint(e) => ItemKind::Endpoint(Endpoint {
                host: e.host.clone(),
                url: s(e.url),
                client: s(e.client),
                time: s(e.time),
                key: s(e.key),
                each_line: e.each_line,
            }),
            ItemView::File(f) => ItemKind::File(FileItem {
                sha256: f.sha256.clone(),
                name: s(f.name),
            }),
        }
    }
}
