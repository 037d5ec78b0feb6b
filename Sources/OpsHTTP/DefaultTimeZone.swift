import Foundation

/// Foundation's default time zone in the daemons.
public enum DefaultTimeZone {
    /// Makes GMT Foundation's default time zone. Hummingbird's date cache builds a Gregorian calendar, and a calendar
    /// made without one looks up the system's zone (`/etc/localtime`) in ICU's zone tables before Hummingbird sets GMT
    /// on it: ~1.2 MiB of an idle worker's memory. The daemons format dates in UTC only (ISO 8601, HTTP dates); log
    /// lines keep the system's local time, which swift-log takes from the C library.
    public static func useGMT() {
        NSTimeZone.default = .gmt
    }
}
