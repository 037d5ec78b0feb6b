import Testing

@testable import OrderWorker

@Suite struct MallocArenasTests {
    @Test func oneArenaPerCoreByDefault() {
        #expect(MallocArenas.limit(environment: [:], cores: 2) == 2)
        #expect(MallocArenas.limit(environment: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0"], cores: 16) == 16)
        #expect(MallocArenas.limit(environment: [:], cores: 0) == 1)
    }

    @Test func theOperatorsSettingWins() {
        #expect(MallocArenas.limit(environment: ["MALLOC_ARENA_MAX": "8"], cores: 2) == nil)
        #expect(
            MallocArenas.limit(
                environment: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0:glibc.malloc.arena_max=4"], cores: 2)
                == nil)
    }
}
