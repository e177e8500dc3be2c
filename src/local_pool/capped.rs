//! A table of short-lived entries (sessions of sign-ins under way, SRP proofs waiting
//! for their answer) with a cap on how many it keeps, so a flood of sign-ins that never
//! finish cannot grow the pool's memory without bound.
//!
//! Eviction, when an insert finds the table full: least proven first, oldest first
//! within a level. An entry that proved nothing yet ([`Proven::Nothing`]: a CUSTOM_AUTH
//! round 1, a PASSWORD_VERIFIER waiting, SELECT_CHALLENGE, a phantom challenge) goes
//! before one past a first factor ([`Proven::FirstFactor`]: MFA codes,
//! NEW_PASSWORD_REQUIRED, MFA_SETUP, DEVICE_*); a used session
//! ([`Proven::Spent`], kept only to answer "can only be used once") goes first of all.
//! A flood of sessions anyone can open with a username alone thus evicts itself, not
//! the person waiting at an MFA code.
//!
//! Each entry sits in `order` under (level, sequence number); the first key is the
//! next to evict, so an insert costs O(log n), never a scan. Entries of one table all
//! live as long, so within a level the oldest is also the first to expire: the sweep
//! pops expired entries from the front of each level, again without a scan.

use std::collections::{BTreeMap, HashMap};

use time::OffsetDateTime;

/// How far an entry's sign-in got: the order in which entries are evicted (lowest
/// first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Proven {
    /// A session already used: it only tells a replay "used once already".
    Spent,
    /// Nothing proved yet: anyone who knows a username can open one.
    Nothing,
    /// A first factor (a password, a device) was proved.
    FirstFactor,
}

/// The levels, lowest first.
const LEVELS: [Proven; 3] = [Proven::Spent, Proven::Nothing, Proven::FirstFactor];

/// One kept entry.
struct Entry<V> {
    value: V,
    level: Proven,
    /// Its place in the order of inserts; kept when the entry changes level.
    sequence: u64,
    /// When it may be forgotten.
    forget_after: OffsetDateTime,
}

/// Entries by id, at most `cap` of them.
pub struct Capped<V> {
    cap: usize,
    entries: HashMap<String, Entry<V>>,
    /// (level, sequence) → id: the eviction order, and the expiry order per level.
    order: BTreeMap<(Proven, u64), String>,
    next_sequence: u64,
}

impl<V> Capped<V> {
    /// An empty table that keeps at most `cap` entries (at least one).
    pub fn new(cap: usize) -> Self {
        Self {
            cap: cap.max(1),
            entries: HashMap::new(),
            order: BTreeMap::new(),
            next_sequence: 0,
        }
    }

    /// Changes the cap; entries past it are evicted at once, by the policy above.
    pub fn set_cap(&mut self, cap: usize) {
        self.cap = cap.max(1);
        while self.entries.len() > self.cap && self.evict_one() {}
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Keeps `value` under `id` at `level` until `forget_after`. An id already kept is
    /// replaced and keeps its place among its level's entries; a new id in a full table
    /// first evicts the least proven, oldest entry. Gives back the evicted id, if any.
    pub fn insert(
        &mut self,
        id: String,
        value: V,
        level: Proven,
        forget_after: OffsetDateTime,
    ) -> Option<String> {
        if let Some(entry) = self.entries.get_mut(&id) {
            entry.value = value;
            entry.forget_after = forget_after;
            self.relevel(&id, level);
            return None;
        }
        let evicted = if self.entries.len() >= self.cap {
            self.first_in_order()
        } else {
            None
        };
        if let Some(evicted) = &evicted {
            self.remove(evicted);
        }
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.order.insert((level, sequence), id.clone());
        self.entries.insert(
            id,
            Entry {
                value,
                level,
                sequence,
                forget_after,
            },
        );
        evicted
    }

    /// The value kept under `id`.
    pub fn get(&self, id: &str) -> Option<&V> {
        self.entries.get(id).map(|entry| &entry.value)
    }

    /// The same, to change it (its level stays; see [`Capped::relevel`]).
    pub fn get_mut(&mut self, id: &str) -> Option<&mut V> {
        self.entries.get_mut(id).map(|entry| &mut entry.value)
    }

    /// Moves an entry to another level, keeping its age.
    pub fn relevel(&mut self, id: &str, level: Proven) {
        let Some(entry) = self.entries.get_mut(id) else {
            return;
        };
        if entry.level == level {
            return;
        }
        self.order.remove(&(entry.level, entry.sequence));
        entry.level = level;
        self.order.insert((level, entry.sequence), id.to_owned());
    }

    /// Forgets an entry, giving back its value.
    pub fn remove(&mut self, id: &str) -> Option<V> {
        let entry = self.entries.remove(id)?;
        self.order.remove(&(entry.level, entry.sequence));
        Some(entry.value)
    }

    /// Every entry, in no order (for the rare lookups by content).
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter().map(|(id, entry)| (id, &entry.value))
    }

    /// Forgets up to `budget` entries past their time at `now`, oldest first in each
    /// level. Gives back how many it forgot; fewer than `budget`: none is left to forget.
    pub fn sweep(&mut self, now: OffsetDateTime, budget: usize) -> usize {
        let mut forgotten = 0;
        for level in LEVELS {
            while forgotten < budget {
                let front = self
                    .order
                    .range((level, 0)..=(level, u64::MAX))
                    .next()
                    .map(|(_, id)| id.clone());
                let Some(id) = front else { break };
                let expired = self
                    .entries
                    .get(&id)
                    .is_none_or(|entry| entry.forget_after <= now);
                if !expired {
                    break;
                }
                self.remove(&id);
                forgotten += 1;
            }
        }
        forgotten
    }

    /// Gives memory back once the table holds well under what it has room for (after a
    /// flood): when fewer than a quarter of the slots are used, room for twice the
    /// entries is kept.
    pub fn shrink(&mut self) {
        let (len, capacity) = (self.entries.len(), self.entries.capacity());
        if capacity > MIN_CAPACITY && len < capacity / 4 {
            self.entries.shrink_to((len * 2).max(MIN_CAPACITY));
        }
    }

    /// How many entries the table has room for without growing.
    #[cfg(test)]
    pub fn capacity(&self) -> usize {
        self.entries.capacity()
    }

    /// The id of the least proven, oldest entry.
    fn first_in_order(&self) -> Option<String> {
        self.order.values().next().cloned()
    }

    /// Evicts the first entry in order; false when there was none.
    fn evict_one(&mut self) -> bool {
        match self.first_in_order() {
            Some(id) => self.remove(&id).is_some(),
            None => false,
        }
    }
}

/// Below this many slots a table is never shrunk: not worth the rehash.
const MIN_CAPACITY: usize = 64;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(seconds)
    }

    fn ids<V>(table: &Capped<V>) -> Vec<String> {
        let mut ids: Vec<String> = table.iter().map(|(id, _)| id.clone()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn a_full_table_evicts_the_least_proven_then_the_oldest() {
        let mut table = Capped::new(3);
        table.insert("proved-old".into(), (), Proven::FirstFactor, at(100));
        table.insert("nothing-old".into(), (), Proven::Nothing, at(100));
        table.insert("nothing-new".into(), (), Proven::Nothing, at(100));
        let evicted = table.insert("proved-new".into(), (), Proven::FirstFactor, at(100));
        assert_eq!(evicted.as_deref(), Some("nothing-old"));
        let evicted = table.insert("flood".into(), (), Proven::Nothing, at(100));
        assert_eq!(evicted.as_deref(), Some("nothing-new"));
        let evicted = table.insert("flood-2".into(), (), Proven::Nothing, at(100));
        assert_eq!(evicted.as_deref(), Some("flood"));
        assert_eq!(ids(&table), ["flood-2", "proved-new", "proved-old"]);
        // Only a table full of proved entries gives up the oldest proved one.
        table.relevel("flood-2", Proven::FirstFactor);
        let evicted = table.insert("last".into(), (), Proven::FirstFactor, at(100));
        assert_eq!(evicted.as_deref(), Some("proved-old"));
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn a_spent_entry_goes_first_and_a_replaced_one_keeps_its_age() {
        let mut table = Capped::new(2);
        table.insert("a".into(), 1, Proven::Nothing, at(100));
        table.insert("b".into(), 2, Proven::Nothing, at(100));
        table.relevel("b", Proven::Spent);
        assert_eq!(
            table
                .insert("c".into(), 3, Proven::Nothing, at(100))
                .as_deref(),
            Some("b")
        );
        // Giving "a" back (as a wrong answer does) keeps it older than "c".
        assert_eq!(table.insert("a".into(), 10, Proven::Nothing, at(100)), None);
        assert_eq!(table.get("a"), Some(&10));
        assert_eq!(
            table
                .insert("d".into(), 4, Proven::Nothing, at(100))
                .as_deref(),
            Some("a")
        );
        assert_eq!(table.remove("c"), Some(3));
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn lowering_the_cap_evicts_by_the_same_order() {
        let mut table = Capped::new(10);
        table.insert("proved".into(), (), Proven::FirstFactor, at(100));
        for n in 0..5 {
            table.insert(format!("flood-{n}"), (), Proven::Nothing, at(100));
        }
        table.set_cap(2);
        assert_eq!(ids(&table), ["flood-4", "proved"]);
    }

    #[test]
    fn the_sweep_forgets_expired_entries_within_its_budget() {
        let mut table = Capped::new(100);
        for n in 0..10 {
            table.insert(format!("old-{n}"), (), Proven::Nothing, at(10));
        }
        table.insert("young".into(), (), Proven::FirstFactor, at(50));
        table.insert("spent-old".into(), (), Proven::Spent, at(10));
        assert_eq!(table.sweep(at(20), 4), 4);
        assert_eq!(table.sweep(at(20), 100), 7);
        assert_eq!(table.sweep(at(20), 100), 0);
        assert_eq!(ids(&table), ["young"]);
        assert_eq!(table.sweep(at(50), 100), 1);
        assert_eq!(table.len(), 0);
    }

    #[test]
    fn an_emptied_table_gives_its_room_back() {
        let mut table = Capped::new(100_000);
        for n in 0..20_000 {
            table.insert(format!("flood-{n}"), [0u8; 64], Proven::Nothing, at(10));
        }
        let grown = table.capacity();
        assert!(grown >= 20_000);
        table.shrink();
        assert_eq!(table.capacity(), grown, "a full table is left as it is");
        table.sweep(at(20), usize::MAX);
        table.shrink();
        assert!(table.capacity() < grown / 100, "{}", table.capacity());
    }
}
