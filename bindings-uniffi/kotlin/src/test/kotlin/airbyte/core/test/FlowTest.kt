package airbyte.core.test

import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import uniffi.airbyte_core.AirbyteClient
import uniffi.airbyte_core.AirbyteException
import uniffi.airbyte_core.ApiKind
import uniffi.airbyte_core.ClientSettings
import uniffi.airbyte_core.Credentials
import uniffi.airbyte_core.ErrorKind
import uniffi.airbyte_core.JobKind
import uniffi.airbyte_core.JobOutcome
import uniffi.airbyte_core.JobProgress
import uniffi.airbyte_core.ProgressListener
import uniffi.airbyte_core.PublicJobStatusEnum
import uniffi.airbyte_core.WaitSettings
import uniffi.airbyte_core.parsePublicGetJob

/** A sync started and waited for through the client object, over [JdkTransport], against the stand-in. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlowTest {
    private lateinit var standin: Process
    private lateinit var base: String

    @BeforeAll
    fun startStandin() {
        val binary = File(System.getProperty("airbyte.standin") ?: error("airbyte.standin unset"))
        standin = ProcessBuilder(binary.path, "--port", "0")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        val line = BufferedReader(InputStreamReader(standin.inputStream)).readLine()
        assertTrue(line.startsWith("listening on "), line)
        base = line.removePrefix("listening on ")
    }

    @AfterAll
    fun stopStandin() {
        standin.outputStream.close()
        if (!standin.waitFor(10, TimeUnit.SECONDS)) {
            standin.destroy()
        }
    }

    private fun client(transport: JdkTransport = JdkTransport()) = AirbyteClient(
        ClientSettings(host = base),
        Credentials.ClientCredentials("standin-client", "standin-secret"),
        transport,
    )

    @Test
    fun syncAndWait() {
        val transport = JdkTransport()
        val seen = mutableListOf<JobProgress>()
        val listener = object : ProgressListener {
            override fun onProgress(progress: JobProgress) {
                seen += progress
            }
        }
        val report = client(transport).runJob(
            ApiKind.PUBLIC,
            "c0000000-0000-4000-8000-000000000001",
            JobKind.SYNC,
            settings = WaitSettings(pollIntervalMs = 20u),
            listener = listener,
        )
        assertEquals(JobOutcome.SUCCEEDED, report.outcome)
        assertEquals(listOf("pending", "running", "running", "succeeded"), seen.map { it.status })
        assertEquals(3750L, report.progress.rowsSynced)
        assertFalse(report.attached)
        val jobId = report.progress.jobId

        // The same job, read back typed from the final response of a plain call.
        val job = parsePublicGetJob(client().call(ApiKind.PUBLIC, "getJob", """{"jobId": $jobId}"""))
        assertEquals(jobId, job.jobId)
        assertEquals(PublicJobStatusEnum.Succeeded, job.status)
        assertEquals("c0000000-0000-4000-8000-000000000001", job.connectionId)
        assertEquals(3750L, job.rowsSynced)

        // What the transport saw: a token request first, credentials never in a printed request.
        val first = transport.sent.first()
        assertEquals("POST", first.method)
        assertTrue(first.url.endsWith("/api/public/v1/applications/token"), first.url)
        assertFalse(transport.sent.any { it.toString().contains("standin-secret") })
    }

    @Test
    fun errorsCrossAsOneExceptionType() {
        val error = assertThrows<AirbyteException.Failure> {
            client().callJson(ApiKind.PUBLIC, "getJob", """{"jobId": 999999}""")
        }
        assertEquals(ErrorKind.API, error.kind)
        assertEquals(404, error.status?.toInt())
        assertEquals("problem", error.details.bodyKind)
        assertTrue(error.reason.startsWith("getJob: HTTP 404: "), error.reason)
    }
}
