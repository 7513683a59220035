"""The customers' support site: Markdown rendered from the policy, wired into MkDocs by a hook.

``render`` holds the pure functions (policy + language -> Markdown); ``search`` the build-time
Japanese segmentation of the search index; ``hooks`` the thin MkDocs hook that calls them.
"""
