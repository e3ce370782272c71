//! Temporary stand-in for the safety net (replaced by the real module).

use super::Rule;

pub struct Catch {
    pub offset: usize,
    pub len: usize,
    pub rule: u32,
}

pub struct Net {
    literals: Vec<(Vec<u8>, u32)>,
}

impl Net {
    pub fn new(rules: &[Rule]) -> Net {
        let mut literals = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if let super::RuleIdentifier::Endpoint(e) = &r.identifier
                && let crate::policy::HostRule::Domain { domain, .. } = &e.host
            {
                literals.push((domain.as_str().as_bytes().to_vec(), i as u32));
            }
        }
        Net { literals }
    }

    pub fn find(&self, text: &[u8]) -> Option<Catch> {
        let lower = text.to_ascii_lowercase();
        self.literals.iter().find_map(|(l, rule)| {
            lower
                .windows(l.len())
                .position(|w| w == &l[..])
                .map(|offset| Catch {
                    offset,
                    len: l.len(),
                    rule: *rule,
                })
        })
    }

    pub fn is_empty(&self) -> bool {
        self.literals.is_empty()
    }
}
