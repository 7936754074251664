import Foundation
import Testing
import TestSupport
@testable import Store

/// SHA-256 and HMAC-SHA-256 (the pseudonyms of `m2ae export`) against Python's hashlib and hmac.
@Suite struct SHA256Tests {
    @Test func knownAnswers() {
        #expect(SHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // RFC 4231 test case 2.
        #expect(SHA256.hex(SHA256.hmac(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func agreesWithPython() throws {
        if let absent = Python.missing(["hashlib"]) {
            if Python.required { Issue.record("Python modules missing: \(absent)") }
            print("skipped: Python modules missing: \(absent)"); return
        }
        // Lengths around the 55/56/64-byte padding edges, and keys longer than a block.
        var rng = SystemRandomNumberGenerator()
        let cases = [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000].map { n in
            ((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }, (0..<(n % 3 == 0 ? 100 : 7)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        let hexes = cases.map { SHA256.hex($0.0) + ":" + SHA256.hex($0.1) }.joined(separator: ",")
        let r = try Python.run(["-c", """
        import hashlib, hmac, sys
        for c in sys.argv[1].split(","):
            m, k = (bytes.fromhex(x) for x in c.split(":"))
            print(hashlib.sha256(m).hexdigest(), hmac.new(k, m, hashlib.sha256).hexdigest())
        """, hexes])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = r.stdout.split(separator: "\n").map(String.init)
        let ours = cases.map { SHA256.hex(SHA256.hash($0.0)) + " " + SHA256.hex(SHA256.hmac(key: $0.1, $0.0)) }
        #expect(ours == expected)
        #expect(StoreExport.pseudonym("S00001", kind: "subject", salt: "pepper").hasPrefix("s-") && StoreExport.pseudonym("S00001", kind: "subject", salt: "pepper").count == 18)
    }
}
