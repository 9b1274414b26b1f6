package airbyte.core.test

import java.io.IOException
import java.net.ConnectException
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpConnectTimeoutException
import java.net.http.HttpTimeoutException
import java.time.Duration
import java.util.Collections
import uniffi.airbyte_core.HttpHeader
import uniffi.airbyte_core.HttpRequest
import uniffi.airbyte_core.HttpResponse
import uniffi.airbyte_core.HttpTransport
import uniffi.airbyte_core.TransportFailure
import uniffi.airbyte_core.TransportFailureKind

/**
 * The host's HTTP stack as the binding's foreign trait: `java.net.http`, no redirects followed,
 * every status returned as a response, failures thrown as [TransportFailure].
 */
class JdkTransport : HttpTransport {
    private val client: HttpClient = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build()

    /** Every request sent, in order. */
    val sent: MutableList<HttpRequest> = Collections.synchronizedList(mutableListOf())

    override fun send(request: HttpRequest): HttpResponse {
        sent.add(request)
        val builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url))
        request.timeoutMs?.let { builder.timeout(Duration.ofMillis(it.toLong())) }
        for (header in request.headers) {
            builder.header(header.name, header.value)
        }
        val body = request.body
        builder.method(
            request.method,
            if (body == null) {
                java.net.http.HttpRequest.BodyPublishers.noBody()
            } else {
                java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)
            },
        )
        try {
            val response = client.send(
                builder.build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray(),
            )
            val headers = response.headers().map().flatMap { (name, values) ->
                values.map { HttpHeader(name, it) }
            }
            return HttpResponse(response.statusCode().toUShort(), headers, response.body())
        } catch (e: HttpConnectTimeoutException) {
            throw TransportFailure.Failed(TransportFailureKind.CONNECT, e.toString())
        } catch (e: ConnectException) {
            throw TransportFailure.Failed(TransportFailureKind.CONNECT, e.toString())
        } catch (e: HttpTimeoutException) {
            throw TransportFailure.Failed(TransportFailureKind.TIMEOUT, e.toString())
        } catch (e: IOException) {
            throw TransportFailure.Failed(TransportFailureKind.IO, e.toString())
        }
    }
}
