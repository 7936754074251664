import Foundation
import TestSupport

/// The `--json` schema of one command as docs/json.md documents it, read from the doc's key
/// table, so that the tests fail when the code and the documentation disagree.
///
/// A section starts with a heading `` ## `m2ae … --json` ``; its table's first column names key
/// paths in backticks (`split.kind`, `neighbours[].score`, `quality.<m>.clean`: `[]` is "every
/// element", `<…>` "every key"), the second column their type (`string`, `int`, `number`,
/// `bool`, `array…`, `object…`, `… or null`), and the word `optional` marks a key that
/// may be absent.
struct DocumentedSchema {
    /// One documented key path.
    struct Key {
        var path: [String]
        var type: String
        var optional: Bool
    }

    var heading: String
    var keys: [Key]

    /// The section whose heading is exactly `` ## `heading` ``; throws when it is missing or has no table.
    init(_ heading: String) throws {
        let url = TestSupport.projectRoot.appendingPathComponent("docs/json.md")
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "## `\(heading)`") else {
            throw CommandRunner.Failure(description: "docs/json.md has no section '## `\(heading)`'")
        }
        self.heading = heading
        keys = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("## ") { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("|"), cells.count >= 4, cells[1].hasPrefix("`") else { continue }
            let names = cells[1].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            let type = cells[2].lowercased()
            for name in names {
                keys.append(Key(path: Self.components(name), type: type, optional: type.contains("optional")))
            }
        }
        guard !keys.isEmpty else { throw CommandRunner.Failure(description: "docs/json.md section '\(heading)' has no key table") }
    }

    /// `a.b[].c` → ["a", "b", "[]", "c"].
    static func components(_ path: String) -> [String] {
        path.split(separator: ".").flatMap { part -> [String] in
            part.hasSuffix("[]") ? [String(part.dropLast(2)), "[]"] : [String(part)]
        }
    }

    /// The top-level keys, required and all.
    var topLevel: (required: Set<String>, all: Set<String>) {
        let top = keys.filter { $0.path.count == 1 }
        return (Set(top.filter { !$0.optional }.map { $0.path[0] }), Set(top.map { $0.path[0] }))
    }

    /// Every disagreement between `json` and the documented keys: at every documented level,
    /// an undocumented key, a missing required key, or a value of another type. Empty when
    /// they agree.
    func problems(in json: Any) -> [String] {
        var out: [String] = []
        // Documented children of each parent path.
        var children: [[String]: [Key]] = [:]
        for k in keys { children[Array(k.path.dropLast()), default: []].append(k) }
        for (parent, kids) in children.sorted(by: { $0.key.count < $1.key.count }) {
            let wildcard = kids.contains { $0.path.last!.hasPrefix("<") }
            for (location, value) in Self.values(at: parent, in: json, trail: "") {
                guard let object = value as? [String: Any] else {
                    out.append("\(location.isEmpty ? "top level" : location) is not an object")
                    continue
                }
                if !wildcard {
                    let documented = Set(kids.map { $0.path.last! })
                    for extra in Set(object.keys).subtracting(documented).sorted() { out.append("\(location).\(extra) is not documented") }
                }
                for kid in kids {
                    let name = kid.path.last!
                    let pairs: [(String, Any)] = name.hasPrefix("<") ? object.map { ($0.key, $0.value) } : object[name].map { [(name, $0)] } ?? []
                    if pairs.isEmpty && !kid.optional && !name.hasPrefix("<") { out.append("\(location).\(name) is missing") }
                    for (key, v) in pairs where !Self.matches(v, kid.type) {
                        out.append("\(location).\(key) = \(v) is not of type '\(kid.type)'")
                    }
                }
            }
        }
        return out
    }

    /// The values at `path` (through every element of `[]` and every key of `<…>`), with where each is.
    static func values(at path: [String], in json: Any, trail: String) -> [(String, Any)] {
        guard let head = path.first else { return [(trail, json)] }
        let rest = Array(path.dropFirst())
        if head == "[]" {
            guard let array = json as? [Any] else { return [] }
            return array.enumerated().flatMap { values(at: rest, in: $0.element, trail: "\(trail)[\($0.offset)]") }
        }
        guard let object = json as? [String: Any] else { return [] }
        if head.hasPrefix("<") {
            return object.sorted { $0.key < $1.key }.flatMap { values(at: rest, in: $0.value, trail: "\(trail).\($0.key)") }
        }
        guard let v = object[head] else { return [] }
        return values(at: rest, in: v, trail: "\(trail).\(head)")
    }

    /// Whether `value` has the documented type (its first word; `or null` admits null,
    /// `number` admits the strings `"nan"`, `"inf"`, `"-inf"`).
    static func matches(_ value: Any, _ type: String) -> Bool {
        if value is NSNull { return type.contains("null") }
        let number = value as? NSNumber
        switch type.split(whereSeparator: { !$0.isLetter }).first.map(String.init) ?? "" {
        case "string": return value is String
        case "int": return number.map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": return number != nil || ["nan", "inf", "-inf"].contains(value as? String ?? "")
        case "bool": return number.map { $0.intValue == 0 || $0.intValue == 1 } ?? false
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }
}
