//! The "submit a correction" link: a new-issue address that opens the
//! correction form with the page chosen, for a site to print on every page.

/// The longest address folio makes. Servers commonly refuse request lines
/// past 8 KiB (GitHub answers 414 well before a browser's limit); folio
/// stays under 8,000 characters, cutting a prefilled claim to fit.
pub const MAX_URL: usize = 8000;

/// The web address of a repository from a git remote URL: GitHub's SSH
/// (`git@github.com:owner/name.git`, `ssh://git@host/owner/name`) and
/// HTTPS (`https://host/owner/name(.git)`, with or without a user) forms.
/// `None` for a remote that names no `owner/name` on a host (a local path).
pub fn repo_url(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let (host, path) = if let Some(rest) = remote
        .strip_prefix("https://")
        .or_else(|| remote.strip_prefix("http://"))
        .or_else(|| remote.strip_prefix("ssh://"))
        .or_else(|| remote.strip_prefix("git://"))
    {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?;
        let host = host.split(':').next()?;
        (host, path)
    } else {
        // scp-like: [user@]host:owner/name
        let (authority, path) = remote.split_once(':')?;
        if authority.contains('/') {
            return None;
        }
        (authority.rsplit('@').next()?, path)
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let slug = repo_slug(path)?;
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    host_ok.then(|| format!("https://{host}/{slug}"))
}

/// `owner/name`, checked: two parts of letters, digits, `-`, `_` and `.`.
pub fn repo_slug(slug: &str) -> Option<&str> {
    let (owner, name) = slug.split_once('/')?;
    let part_ok = |p: &str| {
        !p.is_empty()
            && !p.starts_with('.')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    (part_ok(owner) && part_ok(name)).then_some(slug)
}

/// The new-issue address for a correction to page `id` in the repository
/// at `repo` (its web address), with `claim` prefilled if given. Returns the
/// address and whether the claim was cut to keep it under `MAX_URL`.
pub fn new_issue_url(repo: &str, id: &str, claim: Option<&str>) -> (String, bool) {
    let base = format!(
        "{repo}/issues/new?template=correction.yml&title={}&page={}",
        encode(&format!("Correction: {id}")),
        encode(id)
    );
    let Some(claim) = claim.filter(|c| !c.trim().is_empty()) else {
        return (base, false);
    };
    let full = format!("{base}&claim={}", encode(claim));
    if full.len() <= MAX_URL {
        return (full, false);
    }
    // Cut the claim, a character at a time from a first guess, until the
    // address fits.
    let room = MAX_URL.saturating_sub(base.len() + "&claim=".len() + "%E2%80%A6".len());
    let mut cut = String::new();
    let mut used = 0;
    for c in claim.chars() {
        let encoded = encode(c.encode_utf8(&mut [0; 4]));
        if used + encoded.len() > room {
            break;
        }
        used += encoded.len();
        cut.push(c);
    }
    cut.push('…');
    (format!("{base}&claim={}", encode(&cut)), true)
}

/// Percent-encodes all but the unreserved characters of RFC 3986.
fn encode(s: &str) -> String {
    crate::text::percent_encode(s, b"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_in_every_form_name_the_repository() {
        for remote in [
            "git@github.com:ann/site.git",
            "git@github.com:ann/site",
            "ssh://git@github.com/ann/site.git",
            "https://github.com/ann/site.git",
            "https://ann:token@github.com/ann/site/",
            "http://github.com/ann/site",
        ] {
            assert_eq!(
                repo_url(remote).as_deref(),
                Some("https://github.com/ann/site"),
                "{remote}"
            );
        }
        assert_eq!(
            repo_url("git@ghe.example.com:docs/runtimes.git").as_deref(),
            Some("https://ghe.example.com/docs/runtimes")
        );
        assert_eq!(repo_url("/srv/git/site.git"), None);
        assert_eq!(repo_url("../site"), None);
        assert_eq!(repo_url("https://github.com/just-one"), None);
    }

    #[test]
    fn the_link_is_encoded_and_stays_under_the_limit() {
        let (url, cut) = new_issue_url(
            "https://github.com/ann/site",
            "guides/kv-cache",
            Some("It is 10x faster & \"better\"?"),
        );
        assert!(!cut);
        assert_eq!(
            url,
            "https://github.com/ann/site/issues/new?template=correction.yml&title=Correction%3A%20guides%2Fkv-cache&page=guides%2Fkv-cache&claim=It%20is%2010x%20faster%20%26%20%22better%22%3F"
        );
        let long = "é".repeat(5000);
        let (url, cut) = new_issue_url("https://github.com/ann/site", "p", Some(&long));
        assert!(
            cut && url.len() <= MAX_URL && url.len() > MAX_URL - 20,
            "{}",
            url.len()
        );
        assert!(url.ends_with("%E2%80%A6"));
    }
}
