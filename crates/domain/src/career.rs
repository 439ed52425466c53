//! Career routes: the shortest ways from one role to another over the curated
//! career steps, found breadth-first.

use crate::Slug;
use std::collections::{HashMap, VecDeque};

/// A directed step of the career graph, from one role to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge<T> {
    pub from: Slug,
    pub to: Slug,
    /// Whatever the caller wants back with the step (kind, years, note).
    pub data: T,
}

/// The shortest routes from `from` to `to`, each a list of edge indexes into
/// `edges`, at most `max_steps` long. When several routes tie for shortest, all
/// of them are returned, up to `max_routes`, in a stable order (by the order of
/// the edges). No route (or `from == to`) gives an empty list.
pub fn shortest_routes<T>(
    edges: &[Edge<T>],
    from: &Slug,
    to: &Slug,
    max_steps: usize,
    max_routes: usize,
) -> Vec<Vec<usize>> {
    if from == to {
        return Vec::new();
    }
    let mut outgoing: HashMap<&Slug, Vec<usize>> = HashMap::new();
    for (index, edge) in edges.iter().enumerate() {
        outgoing.entry(&edge.from).or_default().push(index);
    }
    // Breadth-first from `from`: the distance of each role, and every edge that
    // reaches it on a shortest path, so that all shortest routes can be rebuilt.
    let mut distance: HashMap<&Slug, usize> = HashMap::from([(from, 0)]);
    let mut arrivals: HashMap<&Slug, Vec<usize>> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    while let Some(role) = queue.pop_front() {
        // Every role within `max_steps` is reached (the graph is a few dozen
        // roles); a role's arrivals are only the steps of its own distance.
        let next_distance = distance[role] + 1;
        if next_distance > max_steps {
            continue;
        }
        for &index in outgoing.get(role).map(Vec::as_slice).unwrap_or_default() {
            let target = &edges[index].to;
            match distance.get(target) {
                None => {
                    distance.insert(target, next_distance);
                    arrivals.insert(target, vec![index]);
                    queue.push_back(target);
                }
                Some(&known) if known == next_distance => {
                    arrivals.entry(target).or_default().push(index)
                }
                Some(_) => {}
            }
        }
    }
    if !distance.contains_key(to) {
        return Vec::new();
    }
    let mut routes = Vec::new();
    let mut partial = Vec::new();
    walk_back(
        edges,
        &arrivals,
        from,
        to,
        &mut partial,
        &mut routes,
        max_routes,
    );
    routes
}

/// Rebuilds routes from the arrival edges, walking from `to` back to `from`.
fn walk_back<T>(
    edges: &[Edge<T>],
    arrivals: &HashMap<&Slug, Vec<usize>>,
    from: &Slug,
    at: &Slug,
    partial: &mut Vec<usize>,
    routes: &mut Vec<Vec<usize>>,
    max_routes: usize,
) {
    if routes.len() >= max_routes {
        return;
    }
    if at == from {
        routes.push(partial.iter().rev().copied().collect());
        return;
    }
    for &index in arrivals.get(at).map(Vec::as_slice).unwrap_or_default() {
        partial.push(index);
        walk_back(
            edges,
            arrivals,
            from,
            &edges[index].from,
            partial,
            routes,
            max_routes,
        );
        partial.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(raw: &str) -> Slug {
        Slug::parse(raw).unwrap()
    }

    fn graph(pairs: &[(&str, &str)]) -> Vec<Edge<()>> {
        pairs
            .iter()
            .map(|(from, to)| Edge {
                from: slug(from),
                to: slug(to),
                data: (),
            })
            .collect()
    }

    fn names(edges: &[Edge<()>], routes: &[Vec<usize>]) -> Vec<String> {
        routes
            .iter()
            .map(|route| {
                let mut stops = vec![edges[route[0]].from.to_string()];
                stops.extend(route.iter().map(|&index| edges[index].to.to_string()));
                stops.join(">")
            })
            .collect()
    }

    #[test]
    fn a_direct_step_is_the_shortest_route() {
        let edges = graph(&[("dev", "lead"), ("lead", "manager"), ("dev", "manager")]);
        let routes = shortest_routes(&edges, &slug("dev"), &slug("manager"), 5, 10);
        assert_eq!(names(&edges, &routes), ["dev>manager"]);
    }

    #[test]
    fn every_route_tied_for_shortest_is_returned() {
        let edges = graph(&[
            ("dev", "lead"),
            ("dev", "architect"),
            ("lead", "principal"),
            ("architect", "principal"),
            ("principal", "director"),
        ]);
        let routes = shortest_routes(&edges, &slug("dev"), &slug("director"), 5, 10);
        assert_eq!(
            names(&edges, &routes),
            [
                "dev>lead>principal>director",
                "dev>architect>principal>director"
            ]
        );
    }

    #[test]
    fn cycles_do_not_loop_forever() {
        let edges = graph(&[("a", "b"), ("b", "a"), ("b", "c"), ("c", "a"), ("c", "d")]);
        let routes = shortest_routes(&edges, &slug("a"), &slug("d"), 10, 10);
        assert_eq!(names(&edges, &routes), ["a>b>c>d"]);
    }

    #[test]
    fn no_route_gives_nothing() {
        let edges = graph(&[("a", "b"), ("b", "a"), ("c", "d")]);
        assert!(shortest_routes(&edges, &slug("a"), &slug("d"), 10, 10).is_empty());
        assert!(
            shortest_routes(&edges, &slug("d"), &slug("c"), 10, 10).is_empty(),
            "steps have a direction"
        );
        assert!(
            shortest_routes(&edges, &slug("x"), &slug("a"), 10, 10).is_empty(),
            "unknown roles have no route"
        );
    }

    #[test]
    fn routes_longer_than_max_steps_are_not_found() {
        let edges = graph(&[("a", "b"), ("b", "c"), ("c", "d")]);
        assert!(shortest_routes(&edges, &slug("a"), &slug("d"), 2, 10).is_empty());
        assert_eq!(
            shortest_routes(&edges, &slug("a"), &slug("d"), 3, 10).len(),
            1
        );
    }

    #[test]
    fn a_role_on_the_route_is_entered_only_by_its_shortest_way() {
        // `b` is one step from `a` directly, two through `c`: only the
        // direct way into it makes a shortest route to `d`.
        let edges = graph(&[("a", "c"), ("c", "b"), ("a", "b"), ("b", "d")]);
        let routes = shortest_routes(&edges, &slug("a"), &slug("d"), 5, 10);
        assert_eq!(names(&edges, &routes), ["a>b>d"]);
        // And a longer way into the target itself is no route either.
        let edges = graph(&[("a", "b"), ("b", "d"), ("a", "d")]);
        let routes = shortest_routes(&edges, &slug("a"), &slug("d"), 5, 10);
        assert_eq!(names(&edges, &routes), ["a>d"]);
    }

    #[test]
    fn no_steps_or_no_routes_allowed_give_nothing() {
        let edges = graph(&[("a", "b")]);
        assert!(shortest_routes(&edges, &slug("a"), &slug("b"), 0, 10).is_empty());
        assert!(shortest_routes(&edges, &slug("a"), &slug("b"), 1, 0).is_empty());
    }

    #[test]
    fn a_role_has_no_route_to_itself() {
        let edges = graph(&[("a", "b"), ("b", "a")]);
        assert!(shortest_routes(&edges, &slug("a"), &slug("a"), 5, 10).is_empty());
    }

    #[test]
    fn the_number_of_routes_is_capped() {
        // Two choices at each of three levels: eight shortest routes.
        let edges = graph(&[
            ("s", "a1"),
            ("s", "a2"),
            ("a1", "b1"),
            ("a1", "b2"),
            ("a2", "b1"),
            ("a2", "b2"),
            ("b1", "c1"),
            ("b1", "c2"),
            ("b2", "c1"),
            ("b2", "c2"),
            ("c1", "t"),
            ("c2", "t"),
        ]);
        assert_eq!(
            shortest_routes(&edges, &slug("s"), &slug("t"), 10, 100).len(),
            8
        );
        assert_eq!(
            shortest_routes(&edges, &slug("s"), &slug("t"), 10, 3).len(),
            3
        );
    }
}
