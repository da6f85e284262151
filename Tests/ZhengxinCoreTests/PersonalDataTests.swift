import Testing
import ZhengxinCore

@Suite("Personal data: ID number check digit, phone form, masking")
struct PersonalDataTests {
    @Test("GB 11643-1999: the standard's example and its check character X; a wrong check digit refused")
    func idNumbers() {
        #expect(PersonalData.idNumberViolations("11010519491231002X", field: "idNumber").isEmpty)
        #expect(PersonalData.idNumberViolations("11010519491231002x".uppercased(), field: "idNumber").isEmpty)
        #expect(PersonalData.checkCharacter("11010519491231002") == "X")
        #expect(PersonalData.idNumberViolations("110105194912310021", field: "idNumber").first?.message.contains("校验码") == true)
        #expect(PersonalData.idNumberViolations("11010519491231002", field: "idNumber").first?.field == "idNumber")  // 17 characters
        #expect(!PersonalData.idNumberViolations("1101051949123100XX", field: "idNumber").isEmpty)  // X only last
        #expect(!PersonalData.idNumberViolations("１10105194912310021", field: "idNumber").isEmpty)  // full-width digit
    }

    @Test("phones: mobile and landline forms pass, letters and too few digits do not")
    func phones() {
        #expect(PersonalData.phoneViolations("13800138000", field: "phone").isEmpty)
        #expect(PersonalData.phoneViolations("0371-67180000", field: "phone").isEmpty)
        #expect(PersonalData.phoneViolations("+86 138 0013 8000", field: "phone").isEmpty)
        #expect(!PersonalData.phoneViolations("123456", field: "phone").isEmpty)
        #expect(!PersonalData.phoneViolations("1380013800a", field: "phone").isEmpty)
        #expect(!PersonalData.phoneViolations("138-+0013800", field: "phone").isEmpty)
    }

    @Test("masks keep the first three and last four of a phone, the first and last four of an ID")
    func masks() {
        #expect(PersonalData.maskPhone("13812345678") == "138****5678")
        #expect(PersonalData.maskPhone("0371-67180000") == "037******0000")
        #expect(PersonalData.maskPhone("0371-1") == "****-1")
        #expect(PersonalData.maskIdNumber("410105198503121234") == "4101**********1234")
        #expect(PersonalData.maskIdNumber("1234") == "****")
    }
}
