import Foundation
import Leaf
import Vapor

@testable import ZhengxinServer

/// Renders one template of Resources/Views with a context, as the server does, without a database.
enum ViewRendering {
    static func render(_ name: String, _ context: some Encodable) async throws -> String {
        let app = try await Application.make(.testing)
        do {
            WebDirectories.locate(app)
            app.views.use(.leaf)
            app.leaf.cache.isEnabled = false
            let view = try await app.view.render(name, context).get()
            try await app.asyncShutdown()
            return String(buffer: view.data)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Parses `xml` and collects element names and text; nil when it is not well-formed.
    static func parsed(_ xml: String) -> ElementNames? {
        let parser = XMLParser(data: Data(xml.utf8))
        let names = ElementNames()
        parser.delegate = names
        return parser.parse() ? names : nil
    }
}

#if canImport(FoundationXML)
    import FoundationXML
#endif

final class ElementNames: NSObject, XMLParserDelegate {
    private(set) var names: [String] = []
    private(set) var attributes: [[String: String]] = []
    private(set) var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        names.append(elementName)
        attributes.append(attributeDict)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func count(_ name: String) -> Int { names.filter { $0 == name }.count }
}
