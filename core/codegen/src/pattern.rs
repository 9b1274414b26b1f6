//! A short string that matches a regular expression, for request samples that validators
//! accept. Supports what the Airbyte specs use: anchors, literals, escapes (`\d`, `\w`, `\.`),
//! character classes, groups, alternation, look-arounds (skipped) and quantifiers; it takes the
//! first alternative, the first character of a class and the least repetition allowed.

/// A matching string, or `None` if the pattern uses something this does not understand.
pub fn sample(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser { chars: &chars, at: 0 };
    let out = parser.alternation()?;
    (parser.at == chars.len()).then_some(out)
}

struct Parser<'c> {
    chars: &'c [char],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    fn eat(&mut self, expected: &str) -> bool {
        let wanted: Vec<char> = expected.chars().collect();
        if self.chars[self.at..].starts_with(&wanted) {
            self.at += wanted.len();
            true
        } else {
            false
        }
    }

    /// `a|b|c`: the first alternative's sample; the others are parsed and dropped.
    fn alternation(&mut self) -> Option<String> {
        let first = self.concatenation()?;
        while self.eat("|") {
            self.concatenation()?;
        }
        Some(first)
    }

    fn concatenation(&mut self) -> Option<String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let count = self.quantifier()?;
            for _ in 0..count {
                out.push_str(&atom);
            }
        }
        Some(out)
    }

    fn atom(&mut self) -> Option<String> {
        match self.next()? {
            '^' | '$' => Some(String::new()),
            '.' => Some("a".to_owned()),
            '(' => {
                let look_around =
                    self.eat("?!") || self.eat("?=") || self.eat("?<!") || self.eat("?<=");
                let _non_capturing = !look_around && self.eat("?:");
                let inner = self.alternation()?;
                if !self.eat(")") {
                    return None;
                }
                Some(if look_around { String::new() } else { inner })
            }
            '[' => self.class(),
            '\\' => self.escape().map(String::from),
            c if "*+?{}".contains(c) => None,
            c => Some(c.to_string()),
        }
    }

    fn escape(&mut self) -> Option<char> {
        Some(match self.next()? {
            'd' => '0',
            'w' => 'a',
            's' => ' ',
            'D' | 'W' | 'S' => '-',
            'n' => '\n',
            't' => '\t',
            c => c,
        })
    }

    /// `[a-z0-9-]`: its first character; a negated class gets a letter it does not exclude.
    fn class(&mut self) -> Option<String> {
        let negated = self.eat("^");
        let mut members = Vec::new();
        let mut first = true;
        loop {
            let c = self.next()?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let start = if c == '\\' { self.escape()? } else { c };
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|n| *n != ']') {
                self.at += 1;
                let end = match self.next()? {
                    '\\' => self.escape()?,
                    other => other,
                };
                members.push((start, end));
            } else {
                members.push((start, start));
            }
        }
        if negated {
            let excluded = |c: char| members.iter().any(|(a, b)| (*a..=*b).contains(&c));
            return ('a'..='z').chain('0'..='9').find(|c| !excluded(*c)).map(String::from);
        }
        members.first().map(|(start, _)| start.to_string())
    }

    /// How many times the atom repeats: the least allowed.
    fn quantifier(&mut self) -> Option<usize> {
        let count = match self.peek() {
            Some('*') | Some('?') => {
                self.at += 1;
                0
            }
            Some('+') => {
                self.at += 1;
                1
            }
            Some('{') => {
                self.at += 1;
                let mut digits = String::new();
                while let Some(c) = self.next() {
                    if c == '}' {
                        break;
                    }
                    digits.push(c);
                }
                digits.split(',').next()?.trim().parse().ok()?
            }
            _ => 1,
        };
        // A lazy or possessive marker after the quantifier changes nothing here.
        if matches!(self.peek(), Some('?') | Some('+')) && count != 1 {
            self.at += 1;
        }
        Some(count)
    }
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn samples_the_patterns_of_the_airbyte_specs() {
        assert_eq!(sample(r"\w+|(ASC|DESC)").as_deref(), Some("a"));
        assert_eq!(sample("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$").as_deref(), Some("a"));
        assert_eq!(
            sample(r"^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[a-z0-9]+$").as_deref(),
            Some("com.amazonaws.vpce.a.vpce-svc-a")
        );
        assert_eq!(sample(r"^[a-z]{2,3}-[a-z]+(-[a-z]+)?-\d+$").as_deref(), Some("aa-a-0"));
        assert_eq!(
            sample(r"^(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
                .as_deref(),
            Some("aaa")
        );
        assert_eq!(sample("[^a-c]x").as_deref(), Some("dx"));
        assert_eq!(sample("(unclosed"), None);
        assert_eq!(sample("*"), None);
    }
}
