import Glibc
import Testing

/// The test binary links CGnuTLSSkipInit as the executables do (through OrderWorker), and libpq with it, so GnuTLS's
/// constructor ran here too.
@Suite struct GnuTLSSkipInitTests {
    /// GnuTLS's constructor finds the hook through the dynamic symbol table: without the export it would call its
    /// own weak definition (which answers 0) and initialise itself.
    @Test func theExportedHookTellsGnuTLSToSkip() throws {
        let everyLoadedObject = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
        let symbol = try #require(dlsym(everyLoadedObject, "_gnutls_global_init_skip"))
        let hook = unsafeBitCast(symbol, to: (@convention(c) () -> Int32).self)
        #expect(hook() == 1)
        #expect(dlsym(everyLoadedObject, "gnutls_global_init") != nil, "GnuTLS is loaded")
    }
}
