import OrderCore
import Testing

@Suite("CPUList: taskset's CPU list form")
struct CPUListTests {
    @Test(
        "numbers and ranges become the CPUs, sorted and distinct, and print back in their shortest form",
        arguments: [
            ("1", [1], "1"), ("0-3", [0, 1, 2, 3], "0-3"), ("0-2,5", [0, 1, 2, 5], "0-2,5"),
            ("6,0-1,1", [0, 1, 6], "0-1,6"), ("4-4", [4], "4"), ("3,2,1", [1, 2, 3], "1-3"),
        ])
    func parses(text: String, cpus: [Int], shown: String) throws {
        let list = try #require(CPUList(parsing: text))
        #expect(list.cpus == cpus)
        #expect(list.description == shown)
    }

    @Test func aListOfNumbersIsSortedAndDistinct() {
        let list = CPUList(cpus: [7, 0, 2, 1, 7])
        #expect(list.cpus == [0, 1, 2, 7])
        #expect(list.description == "0-2,7")
    }

    @Test("anything else is refused", arguments: ["", "a", "1-", "-1", "2-1", "1,,2", "1-2-3", "0x1", "1024", " 1"])
    func refuses(text: String) {
        #expect(CPUList(parsing: text) == nil)
    }
}
