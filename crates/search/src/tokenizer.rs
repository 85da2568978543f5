//! Qingfeng's Chinese tokeniser as a tantivy [`Tokenizer`]: the words of
//! [`qingfeng_text::tokens::tokenize_spans`] in [`Mode::Index`] (jieba's
//! search cut, the same normalisation as the duplicate fingerprints —
//! full-width forms folded, Latin lowercased, numbers kept with their unit,
//! `张某某` one word — with the project's domain words, single characters
//! kept, stop words dropped), with offsets into the original text so that
//! snippets highlight what the reader wrote.
//!
//! Queries are cut with [`Mode::Query`] (the precise cut): a query word is
//! then one of the index's words wherever the index's search cut finds it.

use qingfeng_text::tokens::{Mode, Span, tokenize_spans};
use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer};

/// Name under which the analyser is registered on every opened index.
pub const TOKENIZER_NAME: &str = "qingfeng_jieba";

/// Longest word (in bytes) that is indexed or asked for; longer runs of
/// Latin letters or digits are noise (hashes, pasted garbage).
pub const MAX_WORD_BYTES: usize = 64;

/// The tantivy tokenizer; see the module doc.
#[derive(Debug, Clone, Copy, Default)]
pub struct JiebaTokenizer;

/// The analyser registered as [`TOKENIZER_NAME`].
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer).filter(RemoveLongFilter::limit(MAX_WORD_BYTES + 1)).build()
}

/// The words a query asks for: [`Mode::Query`], repeats and over-long
/// words dropped, in the order written.
pub fn query_words(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for span in tokenize_spans(query, Mode::Query) {
        if span.text.len() <= MAX_WORD_BYTES && !out.contains(&span.text) {
            out.push(span.text);
        }
    }
    out
}

pub struct SpanStream {
    spans: std::vec::IntoIter<Span>,
    token: Token,
    position: usize,
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = SpanStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanStream {
        SpanStream { spans: tokenize_spans(text, Mode::Index).into_iter(), token: Token::default(), position: 0 }
    }
}

impl TokenStream for SpanStream {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.next() else { return false };
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.token.text = span.text;
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize)> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn indexes_search_cut_with_original_offsets() {
        let text = "收受ＫＴＶ好处费";
        let got = words(text);
        let texts: Vec<&str> = got.iter().map(|(w, _, _)| w.as_str()).collect();
        assert_eq!(texts, ["收受", "ktv", "好处", "好处费"]);
        assert_eq!(&text[got[1].1..got[1].2], "ＫＴＶ");
        assert!(got.windows(2).all(|w| w[0].1 <= w[1].1));
    }

    #[test]
    fn query_words_are_the_precise_cut_without_repeats() {
        assert_eq!(query_words("购物卡 购物卡"), ["购物", "卡"]);
        assert_eq!(query_words("\"住建局\" AND (好处费*)"), ["住建局", "and", "好处费"]);
        assert!(query_words("").is_empty());
        assert!(query_words(&"x".repeat(100)).is_empty());
    }
}
