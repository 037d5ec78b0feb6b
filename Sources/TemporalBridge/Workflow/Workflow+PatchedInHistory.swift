extension Workflow {
    /// `patched(id)` for a build that has the change switched off: true only when this run's
    /// history holds the patch marker (a build with the change on started the run; the marker is
    /// matched as `patched` matches it), false otherwise, and it never records a marker. So a
    /// setting can turn a patched change on or off per worker while every run keeps the path it
    /// started on, whichever worker carries it on. Decided once per id and run, like `patched`.
    public static func patchedInHistory(_ id: String) -> Bool {
        requiredContext.patched(id, deprecated: false, recordIfNew: false)
    }
}
