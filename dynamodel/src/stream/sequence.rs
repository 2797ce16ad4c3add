//! [`SequenceNumber`]: a stream record's sequence number in a form whose
//! text order is its numeric order.

use std::fmt;

/// The most digits a DynamoDB Streams sequence number has.
const DIGITS: usize = 40;

/// A stream record's sequence number, zero-padded to 40 digits so that
/// comparing the text (as DynamoDB compares strings) compares the numbers.
/// A sequence number can exceed what a DynamoDB number holds exactly (38
/// digits), so it is stored as a string: the marker of
/// [`Update::apply_once`](crate::ops::Update::apply_once), for instance.
///
/// Sequence numbers increase within a shard; the changes of one item stay
/// in one shard (and its children after a split), so they order that
/// item's changes.
///
/// ```
/// use dynamodel::stream::SequenceNumber;
///
/// let earlier = SequenceNumber::new("999").unwrap();
/// let later = SequenceNumber::new("1000").unwrap();
/// assert!(earlier < later);
/// assert_eq!(later.as_str().len(), 40);
/// assert!(SequenceNumber::new("12a").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SequenceNumber(String);

impl SequenceNumber {
    /// The sequence number in `digits` (decimal digits, at most 40), or
    /// `None` for anything else.
    pub fn new(digits: &str) -> Option<Self> {
        let valid = !digits.is_empty()
            && digits.len() <= DIGITS
            && digits.bytes().all(|b| b.is_ascii_digit());
        valid.then(|| SequenceNumber(format!("{digits:0>DIGITS$}")))
    }

    /// The padded text (40 digits).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SequenceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<SequenceNumber> for String {
    fn from(sequence: SequenceNumber) -> Self {
        sequence.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_to_forty_digits() {
        let padded = SequenceNumber::new("42").unwrap();
        assert_eq!(padded.as_str(), format!("{}42", "0".repeat(38)));
        assert_eq!(padded.to_string(), padded.as_str());
        assert_eq!(String::from(padded.clone()), padded.as_str());
        let full = "1".repeat(40);
        assert_eq!(SequenceNumber::new(&full).unwrap().as_str(), full);
    }

    #[test]
    fn orders_as_the_numbers_do() {
        let at = |digits: &str| SequenceNumber::new(digits).unwrap();
        assert!(at("999") < at("1000"));
        assert!(at("1000") > at("999"));
        assert_eq!(at("0042"), at("42"));
    }

    #[test]
    fn refuses_what_is_not_a_sequence_number() {
        assert_eq!(SequenceNumber::new(""), None);
        assert_eq!(SequenceNumber::new(&"1".repeat(41)), None);
        assert_eq!(SequenceNumber::new("12a"), None);
        assert_eq!(SequenceNumber::new("-1"), None);
        assert_eq!(SequenceNumber::new(" 1"), None);
    }
}
