"""The customers' support site: Markdown rendered from the policy, wired into MkDocs by a hook.

``render`` holds the pure functions (policy + language -> Markdown); ``site_policy`` loads the
policy files only the site reads (contact, privacy, FAQ, search words); ``search`` the
build-time segmentation of the search indexes; ``publish`` the guard that refuses to publish
placeholders; ``hooks`` the thin MkDocs hook that calls them. ``docs/assets/search-tune.js``
and ``docs/assets/estimator.js`` are the site's only scripts (no framework).
"""
