import Testing
import VaporTesting
@Test func s() {}
