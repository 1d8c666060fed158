import Foundation
import XCTest
import ZMQ

final class LifecycleTests: XCTestCase {
    func testShutdownWakesABlockedReceiveOnAnotherThread() throws {
        let context = try Context()
        let endpoint = inprocEndpoint()
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Shared<Result<[[UInt8]], ZMQError>?>(nil)

        let receiver = Thread {
            defer { finished.signal() }
            do throws(ZMQError) {
                let pull = try context.makeSocket(.pull)  // created and used only on this thread
                try pull.setOption(.receiveTimeout, .seconds(4))  // keeps a broken test from hanging
                try pull.bind(endpoint)
                ready.signal()
                outcome.value = .success(try pull.receive())
            } catch {
                outcome.value = .failure(error)
            }
        }
        receiver.start()
        XCTAssertEqual(ready.wait(timeout: .now() + 2), .success)
        Thread.sleep(forTimeInterval: 0.1)  // let the receiver block inside zmq_msg_recv

        let start = ContinuousClock.now
        context.shutdown()
        XCTAssertEqual(finished.wait(timeout: .now() + 3), .success)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
        guard case .failure(let error)? = outcome.value else {
            return XCTFail("receive did not fail: \(String(describing: outcome.value))")
        }
        XCTAssertEqual(error, .contextTerminated)
        XCTAssertEqual(error.errno, 156_384_765)  // zmq.h: ETERM = ZMQ_HAUSNUMERO + 53

        XCTAssertThrowsError(try context.makeSocket(.pub)) { error in
            XCTAssertEqual(error as? ZMQError, .contextTerminated)
        }
    }

    func testReleasingContextWithUndeliverableMessageDoesNotHang() throws {
        let (unreachable, portHolder) = try refusingLoopbackEndpoint()
        defer { close(portHolder) }
        let finished = DispatchSemaphore(value: 0)
        let failure = Shared<ZMQError?>(nil)
        Thread {
            do throws(ZMQError) {
                let context = try Context()
                let push = try context.makeSocket(.push)
                try push.connect(unreachable)
                try push.send(["queued for a peer that never comes"], mode: .dontWait)
            } catch {
                failure.value = error
            }
            finished.signal()  // context and socket are released above: close + zmq_ctx_term ran
        }.start()
        XCTAssertEqual(finished.wait(timeout: .now() + 3), .success, "context termination blocked")
        XCTAssertNil(failure.value)
    }

    func testCloseIsIdempotentAndLaterUseThrowsSocketClosed() throws {
        let context = try Context()
        let socket = try context.makeSocket(.pull)
        XCTAssertFalse(socket.isClosed)
        socket.close()
        socket.close()
        XCTAssertTrue(socket.isClosed)
        XCTAssertThrowsError(try socket.bind(inprocEndpoint())) { XCTAssertEqual($0 as? ZMQError, .socketClosed) }
        XCTAssertThrowsError(try socket.receive()) { XCTAssertEqual($0 as? ZMQError, .socketClosed) }
        XCTAssertThrowsError(try socket.option(.linger)) { XCTAssertEqual($0 as? ZMQError, .socketClosed) }
    }

    func testEndpointErrorsCarryErrnoAndLibzmqText() throws {
        let context = try Context()
        let first = try context.makeSocket(.pull)
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try XCTUnwrap(try first.lastEndpoint)
        let second = try context.makeSocket(.pull)
        XCTAssertThrowsError(try second.bind(endpoint)) { error in
            XCTAssertEqual((error as? ZMQError)?.errno, EADDRINUSE)
            XCTAssertEqual(error as? ZMQError,
                           .failure(operation: "zmq_bind(\"\(endpoint)\")", errno: EADDRINUSE,
                                    message: String(cString: strerror(EADDRINUSE))))
        }
        XCTAssertThrowsError(try second.connect("bogus://nowhere")) { error in
            // zmq.h: EPROTONOSUPPORT exists in Linux errno.h, so libzmq uses the system value.
            XCTAssertEqual((error as? ZMQError)?.errno, EPROTONOSUPPORT)
        }
        XCTAssertThrowsError(try second.bind("tcp://127.0.0.1\0:1")) { error in
            guard case .invalidArgument = error as? ZMQError else { return XCTFail("\(error)") }
        }
    }

    func testUnbindReleasesThePortAndDisconnectDropsThePeer() throws {
        let context = try Context()
        let first = try context.makeSocket(.pull)
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try XCTUnwrap(try first.lastEndpoint)
        try first.unbind(endpoint)
        let second = try context.makeSocket(.pull)
        // The listener closes on libzmq's I/O thread, so the port frees shortly after `unbind` returns;
        // without `unbind` this keeps failing with EADDRINUSE.
        try eventually { try second.bind(endpoint) }

        let push = try context.makeSocket(.push)
        try push.connect(endpoint)
        try push.send(["while connected"], mode: .dontWait)
        try push.disconnect(endpoint)
        XCTAssertThrowsError(try push.send(["after disconnect"], mode: .dontWait)) { error in
            XCTAssertEqual(error as? ZMQError, .wouldBlock)  // no peer left to queue for
        }
        XCTAssertThrowsError(try push.disconnect(endpoint)) { error in
            XCTAssertEqual((error as? ZMQError)?.errno, ENOENT)
        }
    }

    func testVersionMatchesInstalledLibzmq() throws {
        let pkgConfig = Process()
        pkgConfig.executableURL = URL(fileURLWithPath: "/usr/bin/pkg-config")
        pkgConfig.arguments = ["--modversion", "libzmq"]
        let output = Pipe()
        pkgConfig.standardOutput = output
        try pkgConfig.run()
        pkgConfig.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").compactMap { Int($0) }
        XCTAssertEqual(parts.count, 3, text)
        XCTAssertEqual([ZMQ.version.major, ZMQ.version.minor, ZMQ.version.patch], parts)
        XCTAssertEqual(ZMQ.version.description, parts.map(String.init).joined(separator: "."))
        XCTAssertGreaterThanOrEqual(ZMQ.version, LibraryVersion(major: 4, minor: 3, patch: 0))
    }

    func testContextRejectsNegativeIOThreads() {
        XCTAssertThrowsError(try Context(ioThreads: -1)) { error in
            guard case .invalidArgument = error as? ZMQError else { return XCTFail("\(error)") }
        }
        XCTAssertNoThrow(try Context(ioThreads: 2))
    }
}
