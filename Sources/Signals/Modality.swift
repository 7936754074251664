/// One of the two modalities of a paired record.
public enum Modality: String, Sendable, CaseIterable, Codable {
    case ecg, ppg
}
