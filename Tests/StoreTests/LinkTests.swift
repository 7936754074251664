import Testing
@testable import Store

@Test func linksAgainstHDF5() {
    #expect(StoreModule.hdf5Version.hasPrefix("1."))
}
