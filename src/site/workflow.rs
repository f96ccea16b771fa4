//! The editorial states, the moves between them, and what each state
//! demands of a page. `check` turns the demands into findings; the hook and
//! `folio move` use the same table for transitions.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Draft,
    Research,
    Reviewed,
    Promoted,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Draft,
        State::Research,
        State::Reviewed,
        State::Promoted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Research => "research",
            State::Reviewed => "reviewed",
            State::Promoted => "promoted",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The states a page may come from when it moves to `self`.
    pub fn legal_sources(self) -> &'static [State] {
        match self {
            State::Draft => &State::ALL,
            State::Research => &[State::Draft, State::Reviewed, State::Promoted],
            State::Reviewed => &[State::Research, State::Promoted],
            State::Promoted => &[State::Reviewed],
        }
    }

    /// The states a page in `self` may move to next.
    pub fn legal_next(self) -> Vec<State> {
        State::ALL
            .into_iter()
            .filter(|to| *to != self && to.legal_sources().contains(&self))
            .collect()
    }

    pub fn can_move(from: State, to: State) -> bool {
        from == to || to.legal_sources().contains(&from)
    }

    /// A move backwards needs a maintenance record saying why.
    pub fn is_backward(from: State, to: State) -> bool {
        to < from
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a state demands of a page (the table in README.md). Each demand holds
/// from its lowest state upwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Demand {
    Title,
    Summary,
    Audience,
    Owner,
    /// At least one source, every `[@id]` resolves, no policy finding.
    Sources,
    /// `last_reviewed` set and not in the future.
    LastReviewed,
    /// A reviewer from the policy's roster, other than the owner.
    Reviewer,
    /// Every cited source of a promotable kind.
    PromotableSources,
    /// `last_reviewed` within the review interval.
    Fresh,
}

impl Demand {
    pub const ALL: [Demand; 9] = [
        Demand::Title,
        Demand::Summary,
        Demand::Audience,
        Demand::Owner,
        Demand::Sources,
        Demand::LastReviewed,
        Demand::Reviewer,
        Demand::PromotableSources,
        Demand::Fresh,
    ];

    pub fn lowest_state(self) -> State {
        match self {
            Demand::Title => State::Draft,
            Demand::Summary | Demand::Audience | Demand::Owner => State::Research,
            Demand::Sources | Demand::LastReviewed | Demand::Reviewer => State::Reviewed,
            Demand::PromotableSources | Demand::Fresh => State::Promoted,
        }
    }

    pub fn holds_in(self, state: State) -> bool {
        state >= self.lowest_state()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_moves() {
        use State::*;
        assert_eq!(Draft.legal_next(), vec![Research]);
        assert_eq!(Research.legal_next(), vec![Draft, Reviewed]);
        assert_eq!(Reviewed.legal_next(), vec![Draft, Research, Promoted]);
        assert_eq!(Promoted.legal_next(), vec![Draft, Research, Reviewed]);
        assert!(!State::can_move(Draft, Reviewed));
        assert!(!State::can_move(Research, Promoted));
        assert!(State::is_backward(Promoted, Reviewed));
    }
}
