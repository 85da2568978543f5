//! Full-text search over 信访举报 reports and 问题线索 leads.
//!
//! A tantivy index of [`Doc`]s, tokenised with Qingfeng's jieba tokeniser
//! ([`tokenizer`]: the same normalisation as the duplicate fingerprints of
//! `qingfeng_text`). Storage-independent: the store owns the records and
//! calls [`SearchIndex::upsert`] / [`SearchIndex::delete`] /
//! [`SearchIndex::commit`] when they change; the index can be rebuilt
//! from the store at any time.
//!
//! # Scope
//! Every document carries its unit's [`OrgPath`]; the index keeps each
//! `/`-terminated prefix of it (`/`, `/a/`, `/a/b/`) as a term of a `scope`
//! field. A search names the caller's scopes and a document matches only if
//! one of them is such a prefix — exactly [`OrgPath::is_within`], the
//! store's `subtree_range`. The scope filter is a clause of the query, so
//! the top `limit` hits are the best hits *within scope*, and nothing
//! outside it contributes to what a caller sees.
//!
//! # Queries
//! Users' text is never parsed as tantivy query syntax: it is cut into
//! words ([`tokenizer::query_words`]; `"`, `:`, `(`, `*` are separators like
//! any punctuation) and every word must occur in the title or the text
//! (title matches weigh double), ranked by BM25. At most
//! [`MAX_QUERY_CHARS`] characters and [`MAX_QUERY_WORDS`] words are used.
//! A query without any word, an empty scope list or `limit` 0 finds nothing.

pub mod tokenizer;

use std::ops::Range;
use std::path::Path;

use jiff::civil::Date;
use qingfeng_domain::org::OrgPath;
use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use uuid::Uuid;

use crate::tokenizer::{TOKENIZER_NAME, analyzer, query_words};

/// Characters of a query that are read; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Words of a query that are asked for; the rest are ignored.
pub const MAX_QUERY_WORDS: usize = 16;
/// Largest number of hits one search returns.
pub const MAX_LIMIT: usize = 1000;
/// Characters around the matched words in a snippet.
pub const SNIPPET_CHARS: usize = 120;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// 信访举报 (a report as received).
    Report,
    /// 问题线索 (a lead under disposal).
    Lead,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Report => "report",
            DocKind::Lead => "lead",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        [DocKind::Report, DocKind::Lead].into_iter().find(|k| k.as_str() == s)
    }
}

/// A report or lead as indexed.
#[derive(Debug, Clone)]
pub struct Doc {
    pub id: Uuid,
    pub kind: DocKind,
    /// The units the record belongs to (a report: the office that received
    /// it and the unit handling it): whoever sees one of them may find it.
    pub unit_paths: Vec<OrgPath>,
    pub title: String,
    pub text: String,
    pub received_on: Date,
}

/// Part of a document's text around the matched words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    pub fragment: String,
    /// Byte ranges of `fragment` to highlight, sorted, not overlapping.
    pub highlighted: Vec<Range<usize>>,
}

impl Snippet {
    /// The fragment HTML-escaped, matched words in `<b>…</b>`.
    pub fn to_html(&self) -> String {
        let mut html = String::new();
        let mut at = 0;
        for r in &self.highlighted {
            escape_into(&mut html, &self.fragment[at..r.start]);
            html.push_str("<b>");
            escape_into(&mut html, &self.fragment[r.clone()]);
            html.push_str("</b>");
            at = r.end;
        }
        escape_into(&mut html, &self.fragment[at..]);
        html
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// One search result, best first.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: Uuid,
    pub kind: DocKind,
    pub received_on: Date,
    pub score: f32,
    /// From the text, else the title, else the start of the text.
    pub snippet: Snippet,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index holds a document it cannot read: {0}")]
    Corrupt(String),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// How the index writer works: threads and total indexing memory.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    pub threads: usize,
    /// Split between the threads; at least 15 MB each.
    pub memory_bytes: usize,
}

impl Default for WriterOptions {
    /// One thread, 50 MB: a server that indexes reports as they arrive.
    fn default() -> Self {
        WriterOptions { threads: 1, memory_bytes: 50_000_000 }
    }
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    kind: Field,
    scope: Field,
    title: Field,
    text: Field,
    received_on: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(TOKENIZER_NAME).set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        scope: b.add_text_field("scope", STRING),
        title: b.add_text_field("title", words.clone()),
        text: b.add_text_field("text", words),
        received_on: b.add_date_field("received_on", INDEXED | STORED | FAST),
    };
    (b.build(), fields)
}

/// The index, its writer and a reader that sees the last commit.
pub struct SearchIndex {
    index: Index,
    writer: IndexWriter,
    reader: IndexReader,
    fields: Fields,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the folder and an empty index if
    /// needed. One process at a time may hold it (tantivy's writer lock).
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex> {
        Self::open_or_create_with(dir, WriterOptions::default())
    }

    pub fn open_or_create_with(dir: &Path, options: WriterOptions) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = Index::open_or_create(MmapDirectory::open(dir)?, schema)?;
        Self::with_index(index, fields, options)
    }

    /// An index in memory (tests, small tools).
    pub fn in_ram() -> Result<SearchIndex> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields, WriterOptions::default())
    }

    fn with_index(index: Index, fields: Fields, options: WriterOptions) -> Result<SearchIndex> {
        index.tokenizers().register(TOKENIZER_NAME, analyzer());
        let threads = options.threads.max(1);
        let memory = options.memory_bytes.max(threads * 15_000_000);
        let writer = index.writer_with_num_threads(threads, memory)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex { index, writer, reader, fields })
    }

    /// Adds the documents, replacing any indexed with the same id. Seen by
    /// searches after the next [`SearchIndex::commit`].
    pub fn upsert(&mut self, docs: &[Doc]) -> Result<()> {
        for doc in docs {
            self.writer.delete_term(self.id_term(doc.id));
            self.writer.add_document(self.document(doc))?;
        }
        Ok(())
    }

    /// Removes the document (if indexed) at the next commit.
    pub fn delete(&mut self, id: Uuid) {
        self.writer.delete_term(self.id_term(id));
    }

    /// Makes the changes durable and visible to searches.
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Waits for background segment merges (after a bulk load).
    pub fn wait_merging(self) -> Result<()> {
        self.writer.wait_merging_threads()?;
        Ok(())
    }

    /// Number of committed documents.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn id_term(&self, id: Uuid) -> Term {
        Term::from_field_text(self.fields.id, &id.simple().to_string())
    }

    fn document(&self, doc: &Doc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.id, doc.id.simple().to_string());
        d.add_text(f.kind, doc.kind.as_str());
        let mut prefixes: Vec<&str> = doc.unit_paths.iter().flat_map(scope_terms).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        for prefix in prefixes {
            d.add_text(f.scope, prefix);
        }
        d.add_text(f.title, &doc.title);
        d.add_text(f.text, &doc.text);
        d.add_date(f.received_on, date_to_tantivy(doc.received_on));
        d
    }

    /// The best `limit` documents (at most [`MAX_LIMIT`]) within `scopes`
    /// (and of `kind` if given) that contain every word of `query`.
    pub fn search(&self, query: &str, scopes: &[OrgPath], kind: Option<DocKind>, limit: usize) -> Result<Vec<Hit>> {
        let limit = limit.min(MAX_LIMIT);
        let Some(query) = self.build_query(query, scopes, kind) else { return Ok(Vec::new()) };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        if top.is_empty() {
            return Ok(Vec::new());
        }
        let mut in_text = SnippetGenerator::create(&searcher, &query, self.fields.text)?;
        in_text.set_max_num_chars(SNIPPET_CHARS);
        let mut in_title = SnippetGenerator::create(&searcher, &query, self.fields.title)?;
        in_title.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut snippet = in_text.snippet_from_doc(&doc);
            if snippet.highlighted().is_empty() {
                snippet = in_title.snippet_from_doc(&doc);
            }
            let snippet = if snippet.highlighted().is_empty() {
                let text = doc.get_first(self.fields.text).and_then(|v| v.as_str()).unwrap_or("");
                Snippet { fragment: text.chars().take(SNIPPET_CHARS).collect(), highlighted: Vec::new() }
            } else {
                Snippet { fragment: snippet.fragment().to_string(), highlighted: merged(snippet.highlighted()) }
            };
            hits.push(self.hit(&doc, score, snippet)?);
        }
        Ok(hits)
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, snippet: Snippet) -> Result<Hit> {
        let f = &self.fields;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
        let id = Uuid::try_parse(text(f.id)).map_err(|_| SearchError::Corrupt(format!("id {:?}", text(f.id))))?;
        let kind = DocKind::parse(text(f.kind)).ok_or_else(|| SearchError::Corrupt(format!("kind of {id}")))?;
        let received_on = doc
            .get_first(f.received_on)
            .and_then(|v| v.as_datetime())
            .and_then(date_from_tantivy)
            .ok_or_else(|| SearchError::Corrupt(format!("received_on of {id}")))?;
        Ok(Hit { id, kind, received_on, score, snippet })
    }

    fn build_query(&self, query: &str, scopes: &[OrgPath], kind: Option<DocKind>) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let cut = query.char_indices().nth(MAX_QUERY_CHARS).map_or(query.len(), |(i, _)| i);
        let words = query_words(&query[..cut]);
        if words.is_empty() || scopes.is_empty() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in words.iter().take(MAX_QUERY_WORDS) {
            let term = |field| TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs);
            let either = BooleanQuery::new(vec![
                (Occur::Should, Box::new(BoostQuery::new(Box::new(term(f.title)), 2.0))),
                (Occur::Should, Box::new(term(f.text))),
            ]);
            clauses.push((Occur::Must, Box::new(either)));
        }
        let scope_terms: Vec<(Occur, Box<dyn Query>)> = scopes
            .iter()
            .map(|s| {
                let q = TermQuery::new(Term::from_field_text(f.scope, s.as_str()), IndexRecordOption::Basic);
                (Occur::Should, Box::new(q) as Box<dyn Query>)
            })
            .collect();
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(scope_terms)), 0.0))));
        if let Some(kind) = kind {
            let q = TermQuery::new(Term::from_field_text(f.kind, kind.as_str()), IndexRecordOption::Basic);
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(q), 0.0))));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The underlying tantivy index (for tools: segment counts, sizes).
    pub fn tantivy(&self) -> &Index {
        &self.index
    }
}

/// Every `/`-terminated prefix of the path, from `/` down to the path
/// itself: the scopes that see it.
pub fn scope_terms(path: &OrgPath) -> Vec<&str> {
    let s = path.as_str();
    s.match_indices('/').map(|(i, _)| &s[..=i]).collect()
}

/// Sorted, non-overlapping highlight ranges (tantivy's may overlap when a
/// word and a word inside it both matched).
fn merged(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

const SECONDS_PER_DAY: i64 = 86_400;

fn date_to_tantivy(date: Date) -> DateTime {
    let days = date.since(Date::constant(1970, 1, 1)).map_or(0, |span| i64::from(span.get_days()));
    DateTime::from_timestamp_secs(days * SECONDS_PER_DAY)
}

fn date_from_tantivy(t: DateTime) -> Option<Date> {
    let days = t.into_timestamp_secs().div_euclid(SECONDS_PER_DAY);
    Date::constant(1970, 1, 1).checked_add(jiff::Span::new().try_days(days).ok()?).ok()
}
