/// How this SDK names itself to the server: in workflow task completions (`sdk_metadata`) and in
/// worker heartbeats, which the Web UI's Workers page and `temporal worker list` show.
public enum SDKIdentity {
    public static let name = "temporal-swift-bridge"
    public static let version = "0.1.0"
}
