use std::borrow::Cow;

use super::fold;

/// Folding gives the plain form and leaves a plain ASCII name borrowed.
#[test]
fn fold_normalises_and_borrows_plain_ascii() {
    assert!(matches!(
        fold("DeepSeek Chat"),
        Cow::Borrowed("DeepSeek Chat")
    ));
    assert!(matches!(fold(""), Cow::Borrowed("")));
    for (text, want) in [
        ("DeepSeek  ", "DeepSeek"),
        ("  Deep \t Seek\r\n", "Deep Seek"),
        ("ＤｅｅｐＳｅｅｋ", "DeepSeek"),
        ("Ｄｅｍｏ　Ｌａｂｓ", "Demo Labs"),
        ("腾讯科技（深圳）有限公司", "腾讯科技(深圳)有限公司"),
        ("微信", "微信"),
    ] {
        assert_eq!(fold(text), want, "{text:?}");
    }
}
