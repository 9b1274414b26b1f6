package airbyte.core.test

import java.io.File
import java.lang.reflect.InvocationTargetException
import java.math.BigDecimal
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.boolean
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import uniffi.airbyte_core.AirbyteException
import uniffi.airbyte_core.ApiKind
import uniffi.airbyte_core.ClientSettings
import uniffi.airbyte_core.ErrorKind
import uniffi.airbyte_core.HttpHeader
import uniffi.airbyte_core.HttpResponse
import uniffi.airbyte_core.RequestAuth
import uniffi.airbyte_core.buildRequest
import uniffi.airbyte_core.findOperation
import uniffi.airbyte_core.listOperations
import uniffi.airbyte_core.parseResponse

/**
 * The shared request/response vectors (tests/vectors) on the JVM: requests through
 * `buildRequest`, responses through `parseResponse` and through each operation's typed parse
 * function, which must succeed and fail exactly when the JSON path does.
 */
class VectorsTest {
    private val root = File(System.getProperty("airbyte.vectors") ?: error("airbyte.vectors unset"))

    private fun files(): List<File> =
        root.walkTopDown().filter { it.isFile && it.extension == "json" }.sortedBy { it.path }.toList()

    private fun str(element: JsonElement?): String? =
        (element as? JsonPrimitive)?.takeIf { it.isString }?.content

    private fun api(case: JsonObject): ApiKind =
        if (str(case["api"]) == "config") ApiKind.CONFIG else ApiKind.PUBLIC

    private fun client(spec: JsonObject): Pair<ClientSettings, RequestAuth> {
        val settings = ClientSettings(
            host = str(spec["host"]),
            publicRoot = str(spec["public_root"]),
            configRoot = str(spec["config_root"]),
            userAgent = str(spec["user_agent"]),
        )
        val auth = spec["auth"]
        val requestAuth = when {
            auth == null || auth is JsonNull || str(auth) == "none" -> RequestAuth.None
            auth.jsonObject.containsKey("bearer") ->
                RequestAuth.Bearer(str(auth.jsonObject["bearer"])!!)
            else -> {
                val basic = auth.jsonObject["basic"]!!.jsonObject
                RequestAuth.Basic(str(basic["username"])!!, str(basic["password"])!!)
            }
        }
        return settings to requestAuth
    }

    /** JSON equality that also compares the order of object keys; numbers by value. */
    private fun sameJson(a: JsonElement, b: JsonElement): Boolean = when {
        a is JsonObject && b is JsonObject ->
            a.keys.toList() == b.keys.toList() && a.keys.all { sameJson(a[it]!!, b[it]!!) }
        a is JsonArray && b is JsonArray -> a.size == b.size && a.indices.all { sameJson(a[it], b[it]) }
        a is JsonNull || b is JsonNull -> a is JsonNull && b is JsonNull
        a is JsonPrimitive && b is JsonPrimitive -> when {
            a.isString || b.isString -> a.isString == b.isString && a.content == b.content
            a.content == "true" || a.content == "false" || b.content == "true" || b.content == "false" ->
                a.content == b.content
            else -> BigDecimal(a.content).compareTo(BigDecimal(b.content)) == 0
        }
        else -> false
    }

    private fun checkRequest(default: Pair<ClientSettings, RequestAuth>, case: JsonObject) {
        val (settings, auth) = case["client"]?.let { client(it.jsonObject) } ?: default
        val expected = case["expected"]!!.jsonObject
        val operation = str(case["operation"])!!
        val request = try {
            buildRequest(settings, api(case), operation, case["input"].toString(), auth)
        } catch (e: AirbyteException.Failure) {
            val want = expected["build_error"]?.jsonObject
                ?: throw AssertionError("build failed: ${e.reason}")
            assertEquals(ErrorKind.INVALID_INPUT, e.kind)
            assertEquals(str(want["path"]), e.details.path, e.reason)
            want["message"]?.let { assertEquals(str(it), e.details.cause) }
            return
        }
        assertTrue(expected["build_error"] == null, "expected a build error, built ${request.url}")
        assertEquals(str(expected["method"]), request.method)
        assertEquals(str(expected["url"]), request.url)
        val headers = expected["headers"]!!.jsonArray.map { pair ->
            HttpHeader(str(pair.jsonArray[0])!!, str(pair.jsonArray[1])!!)
        }
        assertEquals(headers, request.headers)
        val body = request.body
        if (expected["body"] is JsonNull) {
            assertEquals(null, body)
        } else {
            val sent = Json.parseToJsonElement(String(body!!, Charsets.UTF_8))
            assertTrue(sameJson(sent, expected["body"]!!), "body $sent, expected ${expected["body"]}")
        }
    }

    private fun response(case: JsonObject) = HttpResponse(
        case["status"]!!.jsonPrimitive.int.toUShort(),
        (case["headers"] as? JsonArray ?: JsonArray(emptyList())).map {
            HttpHeader(str(it.jsonArray[0])!!, str(it.jsonArray[1])!!)
        },
        str(case["body"])!!.toByteArray(Charsets.UTF_8),
    )

    private val bindings = Class.forName("uniffi.airbyte_core.Airbyte_coreKt")

    /** The typed parse function of an operation: `parse_public_get_job` → `parsePublicGetJob`. */
    private fun typedParser(api: ApiKind, operation: String): java.lang.reflect.Method {
        val snake = findOperation(api, operation)!!.typedParser
        val camel = snake.split('_').mapIndexed { i, word ->
            if (i == 0) word else word.replaceFirstChar { it.uppercaseChar() }
        }.joinToString("")
        return bindings.getMethod(camel, HttpResponse::class.java)
    }

    private fun checkResponse(case: JsonObject) {
        val expected = case["expected"]!!.jsonObject
        val operation = str(case["operation"])!!
        val typed = typedParser(api(case), operation)
        val typedError = try {
            typed.invoke(null, response(case))
            null
        } catch (e: InvocationTargetException) {
            e.targetException as? AirbyteException.Failure ?: throw e.targetException
        }
        val text = try {
            parseResponse(api(case), operation, response(case))
        } catch (e: AirbyteException.Failure) {
            assertEquals(e.kind, typedError?.kind, "typed parse: ${typedError?.reason}")
            assertEquals(e.reason, typedError?.reason)
            val decode = expected["decode_error"]?.jsonObject
            val apiError = expected["api_error"]?.jsonObject
            when {
                decode != null -> {
                    assertEquals(ErrorKind.DECODE, e.kind, e.reason)
                    assertEquals(str(decode["path"]), e.details.path, e.reason)
                    decode["message"]?.let { assertEquals(str(it), e.details.cause) }
                }
                apiError != null -> {
                    assertEquals(ErrorKind.API, e.kind, e.reason)
                    apiError["status"]?.let { assertEquals(it.jsonPrimitive.int, e.status?.toInt()) }
                    apiError["kind"]?.let { assertEquals(str(it), e.details.bodyKind) }
                    apiError["message"]?.let { assertEquals(str(it), e.details.cause) }
                    apiError["declared"]?.let { assertEquals(it.jsonPrimitive.boolean, e.details.declared) }
                    apiError["problem_type"]?.let { assertEquals(str(it), e.details.problemType) }
                    apiError["error_id"]?.let { assertEquals(str(it), e.details.errorId) }
                    apiError["validation_errors"]?.let { want ->
                        val actual = e.details.validationErrors.map { listOf(it.propertyPath, it.message) }
                        val wanted = want.jsonArray.map {
                            listOf(str(it.jsonObject["property_path"]), str(it.jsonObject["message"]))
                        }
                        assertEquals(wanted, actual)
                    }
                }
                else -> throw AssertionError("parse failed: ${e.reason}")
            }
            return
        }
        assertEquals(null, typedError?.reason, "the typed parser failed where JSON parsing did not")
        val value = expected["value"] ?: throw AssertionError("expected an error, parsed $text")
        val parsed = Json.parseToJsonElement(text)
        assertTrue(sameJson(parsed, value), "parsed $parsed, expected $value")
    }

    @TestFactory
    fun vectorFiles(): List<DynamicTest> = files().map { file ->
        DynamicTest.dynamicTest(file.relativeTo(root).path) {
            val data = Json.parseToJsonElement(file.readText()).jsonObject
            assertEquals("airbyte-core-vectors/1", str(data["format"]))
            val default = client(data["client"]!!.jsonObject)
            val failures = mutableListOf<String>()
            (data["requests"] as? JsonArray)?.forEachIndexed { index, case ->
                try {
                    checkRequest(default, case.jsonObject)
                } catch (e: AssertionError) {
                    failures += "requests[$index] ${case.jsonObject["operation"]}: ${e.message}"
                }
            }
            (data["responses"] as? JsonArray)?.forEachIndexed { index, case ->
                try {
                    checkResponse(case.jsonObject)
                } catch (e: AssertionError) {
                    failures += "responses[$index] ${case.jsonObject["operation"]}: ${e.message}"
                }
            }
            assertTrue(failures.isEmpty(), failures.take(20).joinToString("\n"))
        }
    }

    @Test
    fun everyOperationHasATypedParser() {
        assertEquals(459, listOperations(ApiKind.CONFIG).size)
        assertEquals(92, listOperations(ApiKind.PUBLIC).size)
        for (api in listOf(ApiKind.CONFIG, ApiKind.PUBLIC)) {
            for (operation in listOperations(api)) {
                typedParser(api, operation.id)
            }
        }
    }
}
