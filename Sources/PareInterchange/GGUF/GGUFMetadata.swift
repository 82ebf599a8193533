import Foundation
import PareFormat

/// How GGUF metadata travels through a `.pare` file, so `convert` then `export --to gguf` gives the
/// keys back with their GGUF types.
///
/// Import: every key `K` becomes `gguf.K` (keys in Pare's own `pare.` namespace, written by `pare
/// export`, keep their name, so a model description survives the round trip). Integers become int
/// values (a u64 above Int64.max becomes its decimal string), floats become floats, arrays of scalars
/// or strings become one array value — a 30,000-token vocabulary is one metadata entry — and nested
/// arrays become JSON text. `gguf.value_types` (JSON text) records each key's GGUF type ("u32",
/// "array[string]", "array[array[i32]]"), which export uses to write the same types again. A nested
/// array's inner type is recorded from its first element, so nested arrays whose inner arrays have
/// different types come back with the first one's type.
public enum GGUFMetadata {
    /// The prefix of imported keys.
    public static let prefix = "gguf."
    /// The key holding every imported key's GGUF type.
    public static let typesKey = "gguf.value_types"

    /// A GGUF value's type as a descriptor string.
    public static func typeName(_ value: GGUFValue) -> String {
        guard case let .array(array) = value else { return value.type.name }
        return typeName(array)
    }

    private static func typeName(_ array: GGUFArray) -> String {
        if case let .arrays(inner) = array.storage {
            return "array[" + (inner.first.map(typeName) ?? "array[u8]") + "]"
        }
        return "array[\(array.elementType.name)]"
    }

    /// Pare metadata for GGUF key/value pairs, `skipping` keys that describe the file rather than the model.
    public static func pareMetadata(from pairs: [(key: String, value: GGUFValue)], skipping: Set<String> = []) -> Metadata {
        var metadata: Metadata = [:]
        var types: [(String, String)] = []
        for (key, value) in pairs where !skipping.contains(key) {
            if key.hasPrefix("pare.") {
                metadata[key] = pareValue(value)
                continue
            }
            metadata[prefix + key] = pareValue(value)
            types.append((key, typeName(value)))
        }
        if !types.isEmpty {
            let fields = types.sorted { $0.0 < $1.0 }.map { "\(JSONText.quoted($0.0)):\(JSONText.quoted($0.1))" }
            metadata[typesKey] = .string("{" + fields.joined(separator: ",") + "}")
        }
        return metadata
    }

    /// One value as Pare metadata (see the type's documentation).
    static func pareValue(_ value: GGUFValue) -> MetadataValue {
        switch value {
        case let .bool(v): return .bool(v)
        case let .string(v): return .string(v)
        case let .float32(v): return .float(Double(v))
        case let .float64(v): return .float(v)
        case let .uint64(v) where v > UInt64(Int64.max): return .string(String(v))
        case let .array(array):
            switch array.storage {
            case .arrays: return .string(json(value))
            default:
                // Pare arrays are homogeneous: if one u64 must be a string, all of them are.
                if array.elementType == .uint64, array.values.contains(where: { $0.integer == nil }) {
                    return .array(array.values.map { .string(json($0)) })
                }
                return .array(array.values.map(pareValue))
            }
        default: return .int(value.integer!)
        }
    }

    /// A value as JSON text (nested arrays).
    static func json(_ value: GGUFValue) -> String {
        switch value {
        case let .bool(v): return v ? "true" : "false"
        case let .string(v): return JSONText.quoted(v)
        case let .float32(v): return v.isFinite ? "\(Double(v))" : JSONText.quoted("\(v)")
        case let .float64(v): return v.isFinite ? "\(v)" : JSONText.quoted("\(v)")
        case let .uint64(v): return String(v)
        case let .array(array): return "[" + array.values.map(json).joined(separator: ",") + "]"
        default: return String(value.integer!)
        }
    }

    /// GGUF key/value pairs for a `.pare` file's metadata, sorted by key: `gguf.K` keys go back to `K`
    /// with their recorded types; Pare's own keys keep their names with types inferred (int → i64,
    /// float → f64). `skipping` names GGUF keys the caller writes itself.
    public static func ggufMetadata(from metadata: Metadata, skipping: Set<String> = []) throws -> [(key: String, value: GGUFValue)] {
        var types: [String: String] = [:]
        if case let .string(text)? = metadata[typesKey] {
            types = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
        var pairs: [(key: String, value: GGUFValue)] = []
        for key in metadata.keys.sorted() where key != typesKey {
            let value = metadata[key]!
            let ggufKey = key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key
            guard !skipping.contains(ggufKey) else { continue }
            let type = key.hasPrefix(prefix) ? types[ggufKey] : nil
            do {
                pairs.append((ggufKey, try ggufValue(value, type: type ?? inferredType(value))))
            } catch let error as TypeMismatch {
                throw PareError.invalidArgument("metadata '\(key)' cannot be written as GGUF \(type ?? "?"): \(error.message)")
            }
        }
        return pairs
    }

    struct TypeMismatch: Error { var message: String }

    private static func inferredType(_ value: MetadataValue) -> String {
        switch value {
        case .bool: return "bool"
        case .int: return "i64"
        case .float: return "f64"
        case .string: return "string"
        case let .array(values): return "array[" + (values.first.map(inferredType) ?? "i64") + "]"
        }
    }

    /// A Pare value as a GGUF value of descriptor `type`.
    static func ggufValue(_ value: MetadataValue, type: String) throws -> GGUFValue {
        if type.hasPrefix("array[array[") {
            guard case let .string(text) = value, let nested = try? JSONDecoder().decode(NestedJSON.self, from: Data(text.utf8)) else {
                throw TypeMismatch(message: "expected nested-array JSON text")
            }
            return try nested.value(type: type)
        }
        if type.hasPrefix("array["), type.hasSuffix("]") {
            let element = String(type.dropFirst(6).dropLast())
            guard case let .array(values) = value, let elementType = GGUFValueType(name: element), elementType != .array else {
                throw TypeMismatch(message: "expected an array")
            }
            let converted = try values.map { try ggufValue($0, type: element) }
            return .array(GGUFArray(converted, type: elementType)!)
        }
        guard let scalar = GGUFValueType(name: type) else { throw TypeMismatch(message: "unknown type") }
        func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
            switch value {
            case let .int(v): if let exact = T(exactly: v) { return exact }
            case let .string(text): if let exact = T(text) { return exact }
            default: break
            }
            throw TypeMismatch(message: "\(value) is not a \(type)")
        }
        switch scalar {
        case .uint8: return .uint8(try integer(UInt8.self))
        case .int8: return .int8(try integer(Int8.self))
        case .uint16: return .uint16(try integer(UInt16.self))
        case .int16: return .int16(try integer(Int16.self))
        case .uint32: return .uint32(try integer(UInt32.self))
        case .int32: return .int32(try integer(Int32.self))
        case .uint64: return .uint64(try integer(UInt64.self))
        case .int64: return .int64(try integer(Int64.self))
        case .float32, .float64:
            guard let number = value.doubleValue ?? value.stringValue.flatMap(Double.init) else { throw TypeMismatch(message: "\(value) is not a number") }
            return scalar == .float32 ? .float32(Float(number)) : .float64(number)
        case .bool:
            guard case let .bool(v) = value else { throw TypeMismatch(message: "\(value) is not a bool") }
            return .bool(v)
        case .string:
            guard case let .string(v) = value else { throw TypeMismatch(message: "\(value) is not a string") }
            return .string(v)
        case .array: throw TypeMismatch(message: "array without element type")
        }
    }
}

/// Nested-array JSON as written by `GGUFMetadata.json`, decoded without losing u64/i64 precision.
private enum NestedJSON: Decodable {
    case integer(String), number(Double), string(String), bool(Bool), array([NestedJSON])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(Int64.self) { self = .integer(String(v)) }
        else if let v = try? c.decode(UInt64.self) { self = .integer(String(v)) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode(String.self) { self = .string(v) }
        else { self = .array(try c.decode([NestedJSON].self)) }
    }

    var metadata: MetadataValue {
        switch self {
        case let .integer(text): return Int64(text).map(MetadataValue.int) ?? .string(text)
        case let .number(v): return .float(v)
        case let .string(v): return .string(v)
        case let .bool(v): return .bool(v)
        case .array: return .string("")
        }
    }

    /// The value with descriptor `type` ("array[array[i32]]" …).
    func value(type: String) throws -> GGUFValue {
        guard case let .array(items) = self else { return try GGUFMetadata.ggufValue(metadata, type: type) }
        guard type.hasPrefix("array["), type.hasSuffix("]") else { throw GGUFMetadata.TypeMismatch(message: "unexpected array") }
        let element = String(type.dropFirst(6).dropLast())
        let elementType = GGUFValueType(name: element.hasPrefix("array[") ? "array" : element)
        guard let elementType else { throw GGUFMetadata.TypeMismatch(message: "unknown type \(element)") }
        let values = try items.map { try $0.value(type: element) }
        return .array(GGUFArray(values, type: elementType)!)
    }
}
