//! Test support shared by the parser modules: a sink that keeps everything.

use super::{InputProblem, Item, Sink};

/// Collects what a parser emits, in order.
#[derive(Default)]
pub struct Collect {
    pub items: Vec<(Item, String)>,
    pub problems: Vec<InputProblem>,
}

impl Sink for Collect {
    fn item(&mut self, item: Item, line: &str) {
        self.items.push((item, line.to_string()));
    }

    fn problem(&mut self, problem: InputProblem) {
        self.problems.push(problem);
    }
}
