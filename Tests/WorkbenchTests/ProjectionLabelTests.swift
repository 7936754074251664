import Foundation
import Testing
import TestSupport
import Store
@testable import Workbench

/// The Projection pane coloured by the store's own labels (`m2ae label`): `c` cycles through
/// the built-in labels and then the label table; categorical labels get class swatches, numeric
/// ones a five-step scale, in colour and in glyphs.
@Suite struct ProjectionLabelTests {
    @Test func coloursByAnyLabelWithALegend() throws {
        let folder = try StoreServicesTests.makeStore(withModel: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cohort.h5")
        try StoreEditor.edit(url) { e in
            try e.setLabel(Label(name: "activity", kind: .categorical, scope: .record, classes: ["bike", "rest", "speak"],
                                 values: (0..<12).map { $0 == 7 ? nil : Double($0 % 3) }), replace: false)
            try e.setLabel(Label(name: "bmi", kind: .numeric, scope: .subject, values: [19.5, 27, 31.25]), replace: false)
        }
        var s = HeadlessSession(services: try StoreServices(url: url), width: 100, height: 30)
        #expect(s.state.colorLabels.map(\.title).suffix(3) == ["subject", "activity", "bmi"])
        for _ in 0..<4 { s.press(.tab) }
        #expect(s.state.focus == .projection)
        while s.state.colorBy.title != "activity" { s.press(.char("c")) }
        let activity = text(s.frame)
        #expect(activity.contains("by activity") && activity.contains("⣿ bike") && activity.contains("⣿ speak") && activity.contains("unknown"), "\(activity)")
        expectSnapshot(s.frame, "projection-100x30-user-label")
        // Record scope: segments 0 and 1 of one subject get different colours.
        let coloring = try #require({ if case .label(let l) = s.state.colorBy { return l } else { return nil } }())
        let rows = s.state.records
        #expect(coloring.group(rows[0]) == 0 && coloring.group(rows[1]) == 1 && coloring.group(rows[7]) == nil)
        s.press(.char("c"))
        let bmi = text(s.frame)
        #expect(s.state.colorBy.title == "bmi" && bmi.contains("⣿ 19.5") && bmi.contains("⣿ 31.2"), "\(bmi)")
        let numeric = try #require({ if case .label(let l) = s.state.colorBy { return l } else { return nil } }())
        #expect(rows.map { numeric.group($0)! } == [0, 0, 0, 0, 3, 3, 3, 3, 4, 4, 4, 4])
        // Without colour the legend is glyphs.
        var plain = HeadlessSession(services: try StoreServices(url: url), width: 100, height: 30, useColor: false)
        for _ in 0..<4 { plain.press(.tab) }
        while plain.state.colorBy.title != "activity" { plain.press(.char("c")) }
        #expect(text(plain.frame).contains("o bike  x rest  + speak"), "\(text(plain.frame))")
    }

    /// `f` cycles on from the built-in filters through every class of the store's binary and
    /// categorical labels; the Records title names the filter.
    @Test func recordsFilterByAnyLabelClass() throws {
        let folder = try StoreServicesTests.makeStore(withModel: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cohort.h5")
        try StoreEditor.edit(url) { e in
            try e.setLabel(Label(name: "activity", kind: .categorical, scope: .record, classes: ["bike", "rest", "speak"],
                                 values: (0..<12).map { $0 == 8 ? nil : Double($0 % 3) }), replace: false)
            try e.setLabel(Label(name: "bmi", kind: .numeric, scope: .subject, values: [19.5, 27, 31.25]), replace: false)
        }
        var s = HeadlessSession(services: try StoreServices(url: url), width: 100, height: 30)
        #expect(LabelFilter.cycle(storeLabels: s.state.storeLabels).count == LabelFilter.cycle.count + 3)
        while s.state.filter.description != "activity=speak" { s.press(.char("f")) }
        #expect(s.state.visible.map { s.state.records[$0].index } == [2, 5, 11])
        #expect(text(s.frame).contains("activity=speak"))
        s.press(.char("f"))
        #expect(s.state.filter == .all)
    }

    /// `s` goes on from the last column on screen to the store's labels (named in the title,
    /// missing values last both ways round), then back to the first column.
    @Test func recordsSortByAnyLabel() throws {
        let folder = try StoreServicesTests.makeStore(withModel: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cohort.h5")
        try StoreEditor.edit(url) { e in
            try e.setLabel(Label(name: "bmi", kind: .numeric, scope: .subject, values: [31.25, nil, 19.5]), replace: false)
        }
        var s = HeadlessSession(services: try StoreServices(url: url), width: 100, height: 30)
        while s.state.sortLabel == nil { s.press(.char("s")) }
        let order = s.state.visible.map { s.state.records[$0].subjectIndex }
        #expect(order == [2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(text(s.frame).contains("by bmi ▲"))
        s.press(.char("S"))
        #expect(s.state.visible.map { s.state.records[$0].subjectIndex } == [0, 0, 0, 0, 2, 2, 2, 2, 1, 1, 1, 1])
        #expect(text(s.frame).contains("by bmi ▼"))
        s.press(.char("s"))
        #expect(s.state.sortLabel == nil && s.state.sort == .subject)
    }
}
