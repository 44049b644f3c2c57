//! The tenant's Alertmanager config as the API carries it (`config-concurrency.md` §1.1):
//! a YAML map with `template_files` (name to body) and `alertmanager_config` (a string that is
//! itself Alertmanager's YAML), its validation (§1.4 step 5), its stored bytes, and the
//! clients' intent ("add receiver X", §1.6 step 2).
//!
//! The stored bytes are the canonical serialization of the parsed config ([`UserConfig::to_bytes`]:
//! templates in name order, Alertmanager's YAML re-emitted with sorted keys), so two uploads of
//! the same logical config store equal bytes and get equal `h` tags (§1.2; the non-determinism
//! of Mimir's `ToProto` is what §5 R13 is about).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Per-tenant limits checked by validation (Mimir's `alertmanager_max_*` limits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted body, in bytes (over it: 400, not 413, as Mimir does).
    pub max_config_bytes: usize,
    /// Most template files.
    pub max_templates: usize,
    /// Largest template body, in bytes.
    pub max_template_bytes: usize,
}

impl Limits {
    /// The defaults of the service and the model.
    pub const DEFAULT: Limits = Limits {
        max_config_bytes: 1 << 20,
        max_templates: 100,
        max_template_bytes: 256 << 10,
    };
}

/// The API's body (Mimir's `UserConfig`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserConfig {
    /// Template file name to body.
    #[serde(default)]
    pub template_files: BTreeMap<String, String>,
    /// Alertmanager's own config, as YAML text.
    #[serde(default)]
    pub alertmanager_config: String,
}

/// Why a body was refused (400).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(why: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError(why.into()))
}

impl UserConfig {
    /// A small valid config with one receiver, `default`, that the route sends to.
    pub fn initial() -> UserConfig {
        UserConfig {
            template_files: BTreeMap::new(),
            alertmanager_config: "route:\n  receiver: default\nreceivers:\n  - name: default\n"
                .to_owned(),
        }
    }

    /// Parses and validates a request body (§1.4 steps 4 and 5).
    pub fn parse(body: &[u8], limits: &Limits) -> Result<UserConfig, ConfigError> {
        if body.len() > limits.max_config_bytes {
            return err(format!(
                "body of {} bytes is over the limit of {} bytes",
                body.len(),
                limits.max_config_bytes
            ));
        }
        let text = std::str::from_utf8(body).or_else(|_| err("body is not valid UTF-8"))?;
        if text.trim().is_empty() {
            return err("empty body");
        }
        let config: UserConfig = serde_saphyr::from_str(text)
            .or_else(|e| err(format!("invalid YAML: {}", one_line(&e.to_string()))))?;
        config.validate(limits)?;
        Ok(config)
    }

    /// Parses stored bytes (written by [`UserConfig::to_bytes`]; no limits apply).
    pub fn from_stored(bytes: &[u8]) -> Result<UserConfig, ConfigError> {
        let text = std::str::from_utf8(bytes).or_else(|_| err("stored config is not UTF-8"))?;
        serde_saphyr::from_str(text)
            .or_else(|e| err(format!("stored config: {}", one_line(&e.to_string()))))
    }

    /// Validation (§1.1): a non-empty Alertmanager config that is a YAML map, no `*_file`
    /// field anywhere in it, receivers with unique names, a route whose receiver exists, and
    /// template names and sizes within `limits`.
    pub fn validate(&self, limits: &Limits) -> Result<(), ConfigError> {
        if self.alertmanager_config.trim().is_empty() {
            return err("empty alertmanager_config");
        }
        let am = self.alertmanager()?;
        if let Some(path) = find_file_field(&am, "") {
            return err(format!("field {path} is not allowed (no *_file fields)"));
        }
        let receivers = receiver_names(&am)?;
        if let Some(route) = am.get("route").and_then(|r| r.get("receiver")) {
            let name = route
                .as_str()
                .ok_or_else(|| ConfigError("route.receiver is not a string".into()))?;
            if !receivers.contains(name) {
                return err(format!("route.receiver {name:?} is not a defined receiver"));
            }
        }
        if self.template_files.len() > limits.max_templates {
            return err(format!(
                "{} template files, over the limit of {}",
                self.template_files.len(),
                limits.max_templates
            ));
        }
        for (name, body) in &self.template_files {
            if name.is_empty()
                || name == "."
                || name == ".."
                || name.len() > 255
                || name.contains(['/', '\\', '\0'])
            {
                return err(format!("invalid template name {name:?}"));
            }
            if body.len() > limits.max_template_bytes {
                return err(format!(
                    "template {name:?} has {} bytes, over the limit of {}",
                    body.len(),
                    limits.max_template_bytes
                ));
            }
        }
        Ok(())
    }

    /// The canonical stored bytes (module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let canonical = UserConfig {
            template_files: self.template_files.clone(),
            alertmanager_config: match self.alertmanager() {
                Ok(am) => serde_saphyr::to_string(&am)
                    .unwrap_or_else(|_| self.alertmanager_config.clone()),
                Err(_) => self.alertmanager_config.clone(),
            },
        };
        serde_saphyr::to_string(&canonical)
            .expect("a map of strings serializes")
            .into_bytes()
    }

    /// The names of the receivers, in order (empty if the config does not parse).
    pub fn receivers(&self) -> Vec<String> {
        let Ok(am) = self.alertmanager() else {
            return Vec::new();
        };
        am.get("receivers")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|r| r.get("name").and_then(Value::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The intent of §1.6 step 2: the same config with receiver `name` added (unchanged if it
    /// is already there, so that re-applying the intent after an unknown outcome is a no-op).
    pub fn with_receiver(&self, name: &str) -> UserConfig {
        let mut am = self
            .alertmanager()
            .unwrap_or_else(|_| Value::Object(Default::default()));
        if !am.is_object() {
            am = Value::Object(Default::default());
        }
        let map = am.as_object_mut().expect("made an object above");
        let receivers = map
            .entry("receivers")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !receivers.is_array() {
            *receivers = Value::Array(Vec::new());
        }
        let list = receivers.as_array_mut().expect("made an array above");
        if !list
            .iter()
            .any(|r| r.get("name").and_then(Value::as_str) == Some(name))
        {
            let mut receiver = serde_json::Map::new();
            receiver.insert("name".into(), Value::String(name.to_owned()));
            list.push(Value::Object(receiver));
        }
        UserConfig {
            template_files: self.template_files.clone(),
            alertmanager_config: serde_saphyr::to_string(&am).expect("a JSON value serializes"),
        }
    }

    fn alertmanager(&self) -> Result<Value, ConfigError> {
        let am: Value = serde_saphyr::from_str(&self.alertmanager_config).or_else(|e| {
            err(format!(
                "invalid alertmanager_config: {}",
                one_line(&e.to_string())
            ))
        })?;
        if !am.is_object() {
            return err("alertmanager_config is not a YAML map");
        }
        Ok(am)
    }
}

fn receiver_names(am: &Value) -> Result<BTreeSet<String>, ConfigError> {
    let mut names = BTreeSet::new();
    let Some(list) = am.get("receivers") else {
        return Ok(names);
    };
    let list = list
        .as_array()
        .ok_or_else(|| ConfigError("receivers is not a list".into()))?;
    for r in list {
        let name = r
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| ConfigError("a receiver has no name".into()))?;
        if !names.insert(name.to_owned()) {
            return err(format!("receiver {name:?} is defined twice"));
        }
    }
    Ok(names)
}

/// The path of the first key ending in `_file`, depth first.
fn find_file_field(v: &Value, path: &str) -> Option<String> {
    match v {
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.ends_with("_file") {
                Some(here)
            } else {
                find_file_field(v, &here)
            }
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_file_field(v, &format!("{path}[{i}]"))),
        _ => None,
    }
}

/// The first line of a parser's message, for a one-line 400 reason.
fn one_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_owned()
}
