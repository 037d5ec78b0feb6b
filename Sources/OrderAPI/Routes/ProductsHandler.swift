import Hummingbird
import OpsHTTP

/// `GET /api/products`: the catalog with price and stock.
struct ProductsHandler: Sendable {
    let services: APIServices

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let products = try await services.repository.products()
        return try JSONResponse.make(ProductListResponse(products: products.map(ProductListResponse.ProductBody.init)))
    }
}
