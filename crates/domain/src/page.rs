//! Paging and sorting of lists, shared by every list page and endpoint.

use serde::{Deserialize, Serialize};

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 200;

/// A page request, already clamped to sane values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest { page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl PageRequest {
    /// Clamps user input: pages start at 1, at most [`MAX_PER_PAGE`] rows.
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> PageRequest {
        PageRequest {
            page: page.unwrap_or(1).clamp(1, 1_000_000),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
        }
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }

    /// The page of results this request asked for.
    pub fn of<T>(&self, items: Vec<T>, total: i64) -> Page<T> {
        Page { items, total, capped: false, page: self.page, per_page: self.per_page }
    }

    /// The page, when the count stopped at `cap` (a count larger than `cap`
    /// means "more than `cap`"): counting every row of a province-sized list
    /// costs more than the page itself.
    pub fn of_capped<T>(&self, items: Vec<T>, count: i64, cap: i64) -> Page<T> {
        let seen = self.offset() + items.len() as i64;
        // A short page is the last one: then the total is known exactly.
        let last = (items.len() as i64) < self.limit() && (!items.is_empty() || self.page == 1);
        let (total, capped) = match (count > cap, last) {
            (false, _) => (count, false),
            (true, true) => (seen, false),
            (true, false) => (seen.max(cap), true),
        };
        Page { items, total, capped, page: self.page, per_page: self.per_page }
    }
}

/// One page of results and the total count behind it.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Rows behind the page; with `capped`, at least this many.
    pub total: i64,
    /// The count stopped early: there are more than `total` rows.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub capped: bool,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    /// Pages behind the results (with `capped`, one more than the count
    /// reached, so "next" stays open).
    pub fn pages(&self) -> u32 {
        let pages = (self.total.max(0) as u64).div_ceil(u64::from(self.per_page.max(1)));
        let pages = u32::try_from(pages).unwrap_or(u32::MAX).max(1);
        if self.capped { pages.max(self.page).saturating_add(1) } else { pages }
    }

    /// The total as the pager shows it: "1234", or "10000+" when capped.
    pub fn total_label(&self) -> String {
        if self.capped { format!("{}+", self.total) } else { self.total.to_string() }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            capped: self.capped,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    #[default]
    Asc,
    Desc,
}

impl Dir {
    pub fn parse(s: Option<&str>) -> Dir {
        match s {
            Some("desc") => Dir::Desc,
            _ => Dir::Asc,
        }
    }

    pub fn sql(self) -> &'static str {
        match self {
            Dir::Asc => "ASC",
            Dir::Desc => "DESC",
        }
    }

    pub fn flip(self) -> Dir {
        match self {
            Dir::Asc => Dir::Desc,
            Dir::Desc => Dir::Asc,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Asc => "asc",
            Dir::Desc => "desc",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_request_is_clamped() {
        assert_eq!(PageRequest::new(Some(0), Some(100_000)), PageRequest { page: 1, per_page: MAX_PER_PAGE });
        assert_eq!(PageRequest::new(Some(3), Some(20)).offset(), 40);
    }

    #[test]
    fn a_capped_count_says_more_and_keeps_next_open() {
        let r = PageRequest::new(Some(1), Some(20));
        let p = r.of_capped(vec![0; 20], 10_001, 10_000);
        assert_eq!((p.total_label().as_str(), p.pages()), ("10000+", 501));
        let p = r.of_capped(vec![0; 20], 37, 10_000);
        assert_eq!((p.total_label().as_str(), p.pages()), ("37", 2));
        // Far past the cap: the pager follows the reader, and the last
        // (short) page gives the exact total.
        let r = PageRequest::new(Some(800), Some(20));
        let p = r.of_capped(vec![0; 20], 10_001, 10_000);
        assert_eq!((p.total, p.pages()), (16_000, 801));
        let p = r.of_capped(vec![0; 5], 10_001, 10_000);
        assert_eq!((p.total_label().as_str(), p.pages()), ("15985", 800));
    }

    #[test]
    fn page_count_rounds_up_and_is_at_least_one() {
        let p = |total| Page::<()> { items: vec![], total, capped: false, page: 1, per_page: 20 }.pages();
        assert_eq!(p(0), 1);
        assert_eq!(p(20), 1);
        assert_eq!(p(21), 2);
    }
}
