//! `IntoFuture` for the builders, so that `builder.await` means
//! `builder.send().await` everywhere.

/// Implements `IntoFuture` for a builder generic over its model, with an
/// `async fn send(self)`.
macro_rules! into_future {
    ($builder:ident, $output:ty) => {
        impl<M: $crate::Model> ::std::future::IntoFuture for $builder<M> {
            type Output = $crate::Result<$output>;
            type IntoFuture = ::futures::future::BoxFuture<'static, $crate::Result<$output>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}
pub(crate) use into_future;

/// Implements `IntoFuture` for a non-generic builder (batches and
/// transactions over any models) with an `async fn send(self)`.
macro_rules! into_future_plain {
    ($builder:ident, $output:ty) => {
        impl ::std::future::IntoFuture for $builder {
            type Output = $crate::Result<$output>;
            type IntoFuture = ::futures::future::BoxFuture<'static, $crate::Result<$output>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}
pub(crate) use into_future_plain;
