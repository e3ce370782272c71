//! Shortest dependency paths from a project's roots (the project, or each
//! workspace) through the graph a lockfile holds: one breadth-first search
//! per scope class, sharing what they have seen, so what the project needs
//! to run is found first, then what only optional, peer, build and dev
//! dependencies bring. A package is reached once; its path is the
//! shortest in its class.

use std::collections::VecDeque;

use crate::input::item::DepScope;

/// What a root asks for: nodes, each with the scope class it asks in.
pub type Wants = Vec<(usize, Option<DepScope>)>;

/// The classes in the order they are searched.
const CLASSES: [Option<DepScope>; 5] = [
    None,
    Some(DepScope::Optional),
    Some(DepScope::Peer),
    Some(DepScope::Build),
    Some(DepScope::Dev),
];

pub struct Paths {
    /// For each node: what it was reached from (a node, or root `i` as
    /// `nodes + i`) and its scope class.
    reached: Vec<Option<(usize, Option<DepScope>)>>,
}

impl Paths {
    /// `roots[i]`: what root `i` asks for; `edges(n)`: the nodes node `n`
    /// depends on.
    pub fn search<'e>(
        nodes: usize,
        roots: &[&[(usize, Option<DepScope>)]],
        edges: impl Fn(usize) -> &'e [usize],
    ) -> Paths {
        let mut reached = vec![None; nodes];
        let mut queue = VecDeque::new();
        for class in CLASSES {
            for (i, wants) in roots.iter().enumerate() {
                for &(w, c) in wants.iter() {
                    if c == class && reached[w].is_none() {
                        reached[w] = Some((nodes + i, class));
                        queue.push_back(w);
                    }
                }
            }
            while let Some(at) = queue.pop_front() {
                for &m in edges(at) {
                    if reached[m].is_none() {
                        reached[m] = Some((at, class));
                        queue.push_back(m);
                    }
                }
            }
        }
        Paths { reached }
    }

    /// The scope class node `n` was reached in, if a root reaches it.
    pub fn scope(&self, n: usize) -> Option<Option<DepScope>> {
        self.reached[n].map(|(_, s)| s)
    }

    /// The names from a root to node `n`, both included; empty when no
    /// root reaches it.
    pub fn path(
        &self,
        n: usize,
        node: impl Fn(usize) -> String,
        root: impl Fn(usize) -> String,
    ) -> Vec<String> {
        let nodes = self.reached.len();
        let mut chain = Vec::new();
        let mut at = n;
        loop {
            if at >= nodes {
                chain.push(root(at - nodes));
                break;
            }
            chain.push(node(at));
            match self.reached[at] {
                Some((from, _)) => at = from,
                None => return Vec::new(),
            }
        }
        chain.reverse();
        chain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A package the project needs to run is found through the run-time
    /// dependency even when a dev dependency reaches it in fewer steps;
    /// each workspace root names its own paths.
    #[test]
    fn run_time_paths_come_first() {
        // 0 → 1 → 2; root 0 asks for 0 (run time) and 2 (dev); root 1 for 3.
        let edges: Vec<Vec<usize>> = vec![vec![1], vec![2], vec![], vec![]];
        let root0: Wants = vec![(0, None), (2, Some(DepScope::Dev))];
        let root1: Wants = vec![(3, Some(DepScope::Optional))];
        let paths = Paths::search(4, &[&root0, &root1], |n| &edges[n]);
        let name = |n: usize| format!("n{n}");
        let root = |i: usize| format!("root{i}");
        assert_eq!(paths.path(2, name, root), ["root0", "n0", "n1", "n2"]);
        assert_eq!(paths.scope(2), Some(None));
        assert_eq!(paths.path(3, name, root), ["root1", "n3"]);
        assert_eq!(paths.scope(3), Some(Some(DepScope::Optional)));
    }

    #[test]
    fn unreached_nodes_have_no_path() {
        let edges: Vec<Vec<usize>> = vec![vec![], vec![]];
        let root: Wants = vec![(0, None)];
        let paths = Paths::search(2, &[&root], |n| &edges[n]);
        assert!(paths.path(1, |n| n.to_string(), |_| "r".into()).is_empty());
        assert_eq!(paths.scope(1), None);
    }
}
