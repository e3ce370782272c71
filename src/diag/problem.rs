//! A [`Problem`] and how it is shown: a miette diagnostic that carries its
//! own source text (a whole policy file, or just the one line of
//! evidence), so it can be rendered long after the file was read, and
//! saved reports can be rendered again without the inputs.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, NamedSource, Severity, SourceCode,
    SourceSpan, SpanContents,
};

use super::Code;

/// A whole text file kept for diagnostics (policy files are small).
pub type SourceFile = NamedSource<Arc<str>>;

/// A source for one line of evidence: its text and its line number in the
/// file, so a diagnostic shows `42 │ ...` without the file being kept.
#[derive(Clone, Debug)]
pub struct LineSource {
    pub name: String,
    /// 1-based.
    pub line: u32,
    pub text: String,
}

impl SourceCode for LineSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if span.offset() + span.len() > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let column = self
            .text
            .get(..span.offset())
            .map_or(0, |t| t.chars().count());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            self.line.saturating_sub(1) as usize,
            column,
            1,
        )))
    }
}

#[derive(Clone, Debug)]
pub enum ProblemSource {
    File(Arc<SourceFile>),
    Line(Arc<LineSource>),
}

/// One diagnostic.
#[derive(Clone, Debug)]
pub struct Problem {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub source: Option<ProblemSource>,
    pub labels: Vec<LabeledSpan>,
    /// Further places, shown under this one (another file's copy of a
    /// duplicate id, say): a diagnostic has one source of its own.
    pub related: Vec<Problem>,
}

impl Problem {
    pub fn error(code: Code, message: impl Into<String>) -> Problem {
        Problem {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn with_related(mut self, related: Problem) -> Problem {
        self.related.push(related);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Problem {
        self.severity = severity;
        self
    }

    /// Points at `span` of a whole file; the first label sets the location.
    pub fn in_file(
        mut self,
        file: &Arc<SourceFile>,
        span: SourceSpan,
        label: impl Into<String>,
    ) -> Problem {
        self.source = Some(ProblemSource::File(Arc::clone(file)));
        self.labels
            .push(LabeledSpan::new_with_span(Some(label.into()), span));
        self
    }

    /// Points at bytes `column-1 .. column-1+len` of one line of evidence.
    pub fn on_line(
        mut self,
        path: &str,
        line: u32,
        column: u32,
        len: u32,
        text: &str,
        label: impl Into<String>,
    ) -> Problem {
        let start = (column.saturating_sub(1) as usize).min(text.len());
        let len = (len as usize).min(text.len() - start);
        self.source = Some(ProblemSource::Line(Arc::new(LineSource {
            name: path.to_string(),
            line,
            text: text.to_string(),
        })));
        self.labels
            .push(LabeledSpan::new_with_span(Some(label.into()), (start, len)));
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.source {
            Some(ProblemSource::File(f)) => Some(f.as_ref()),
            Some(ProblemSource::Line(l)) => Some(l.as_ref()),
            None => None,
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|p| p as &dyn Diagnostic)))
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders diagnostics for a terminal or a file: colour only when asked for
/// and allowed (NO_COLOR is honoured), fixed width when not a terminal so
/// output is stable.
pub struct Renderer {
    handler: miette::GraphicalReportHandler,
}

impl Renderer {
    pub fn new(color: bool) -> Renderer {
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        Renderer {
            handler: miette::GraphicalReportHandler::new_themed(theme)
                .with_width(100)
                .with_wrap_lines(false)
                .with_links(false),
        }
    }

    /// Lines as wide as `width` (a terminal's), instead of the fixed 100
    /// columns that keep output to files and pipes stable.
    pub fn with_width(mut self, width: Option<usize>) -> Renderer {
        if let Some(width) = width {
            self.handler = self.handler.with_width(width.max(40));
        }
        self
    }

    /// Whether the stream should get colour: a terminal, and NO_COLOR unset.
    pub fn color_for(is_terminal: bool) -> bool {
        is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }

    pub fn render(&self, problem: &dyn Diagnostic) -> String {
        let mut out = String::new();
        if self.handler.render_report(&mut out, problem).is_err() {
            out = format!("error: {problem}\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("a: 1\nbé: x\n", 9), (2, 4));
    }
}
