//! Floats in number sets (feature `ordered-float`).
//!
//! `f64` and `f32` are neither `Eq` nor `Hash` nor `Ord` (NaN), so a
//! `HashSet` or `BTreeSet` cannot hold them. The `ordered-float` crate's
//! wrappers can: [`ordered_float::NotNan`] (NaN ruled out by its type) and
//! [`ordered_float::OrderedFloat`] (NaN ordered last). Both are stored as
//! the float they wrap (`N`), so `HashSet<NotNan<f64>>` and
//! `BTreeSet<OrderedFloat<f32>>` are DynamoDB number sets (`NS`).
//!
//! # Guarantees
//!
//! * A value is stored exactly as the plain float is: the shortest text that
//!   reads back as the same float.
//! * NaN and the infinities, which DynamoDB cannot store, are refused with
//!   a typed conversion error naming the attribute, before anything is sent
//!   (an `OrderedFloat` can hold NaN; a `NotNan` cannot).
//! * `0.0` and `-0.0` are one element of a set (the wrappers compare them
//!   equal), and both are stored as `0`.

use aws_sdk_dynamodb::types::AttributeValue;
use ordered_float::{NotNan, OrderedFloat};

use super::sets::{SetElement, SetKind};
use super::{Attribute, ConvertError};

macro_rules! float_wrappers {
    ($($t:ty),*) => {$(
        impl Attribute for NotNan<$t> {
            fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
                self.into_inner().to_attribute()
            }

            fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
                // A stored number is never NaN: the error cannot happen,
                // but is reported rather than unwrapped.
                NotNan::new(<$t>::from_attribute(value)?).map_err(|_| {
                    ConvertError::InvalidNumber {
                        target: concat!("NotNan<", stringify!($t), ">"),
                    }
                })
            }
        }

        impl SetElement for NotNan<$t> {
            const KIND: SetKind = SetKind::Numbers;
        }

        impl Attribute for OrderedFloat<$t> {
            fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
                self.0.to_attribute()
            }

            fn from_attribute(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
                <$t>::from_attribute(value).map(OrderedFloat)
            }
        }

        impl SetElement for OrderedFloat<$t> {
            const KIND: SetKind = SetKind::Numbers;
        }
    )*};
}
float_wrappers!(f64, f32);

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use super::*;

    fn numbers(value: Option<AttributeValue>) -> Vec<String> {
        match value {
            Some(AttributeValue::Ns(mut items)) => {
                items.sort();
                items
            }
            other => panic!("expected a number set, got {other:?}"),
        }
    }

    #[test]
    fn float_sets_are_number_sets_that_read_back_equal() {
        let set: HashSet<NotNan<f64>> = [0.1, 2.5, -3.0, 1e-7]
            .into_iter()
            .map(|f| NotNan::new(f).unwrap())
            .collect();
        let stored = set.to_attribute().unwrap();
        assert_eq!(numbers(stored.clone()), ["-3", "0.1", "1e-7", "2.5"]);
        let back = HashSet::<NotNan<f64>>::from_attribute(stored).unwrap();
        assert_eq!(back, set);

        let set: BTreeSet<OrderedFloat<f32>> =
            [0.1f32, 7.0].into_iter().map(OrderedFloat).collect();
        let stored = set.to_attribute().unwrap();
        assert_eq!(numbers(stored.clone()), ["0.1", "7"]);
        assert_eq!(
            BTreeSet::<OrderedFloat<f32>>::from_attribute(stored).unwrap(),
            set
        );
    }

    #[test]
    fn zero_and_negative_zero_are_one_element_stored_as_zero() {
        let set: HashSet<NotNan<f64>> = [0.0, -0.0]
            .into_iter()
            .map(|f| NotNan::new(f).unwrap())
            .collect();
        assert_eq!(set.len(), 1);
        assert_eq!(numbers(set.to_attribute().unwrap()), ["0"]);
    }

    #[test]
    fn what_dynamodb_cannot_store_is_refused() {
        for value in [f64::INFINITY, f64::NEG_INFINITY] {
            let set: HashSet<NotNan<f64>> = [NotNan::new(value).unwrap()].into();
            assert!(set.to_attribute().is_err());
        }
        let set: BTreeSet<OrderedFloat<f64>> = [OrderedFloat(f64::NAN), OrderedFloat(1.0)].into();
        assert!(set.to_attribute().is_err());
        assert!(OrderedFloat(f32::INFINITY).to_attribute().is_err());
    }

    #[test]
    fn single_wrapped_floats_round_trip_and_type_mismatches_are_errors() {
        let value = NotNan::new(-12.25f32).unwrap();
        let stored = value.to_attribute().unwrap();
        assert_eq!(stored, Some(AttributeValue::N("-12.25".into())));
        assert_eq!(NotNan::<f32>::from_attribute(stored).unwrap(), value);
        assert!(NotNan::<f64>::from_attribute(Some(AttributeValue::S("1".into()))).is_err());
        assert!(OrderedFloat::<f64>::from_attribute(None).is_err());
    }
}
