import { GraphQLError } from 'graphql';
import { demoEntity } from '../subgraphs/department-kernel/demo/generator';
import { assertUscc, isValidUscc, organisationCodeCheck, USCC_CHARSET, usccCheckCharacter, usccProblem } from './uscc';

/** Codes published by the entities themselves (business licences, annual reports). */
const PUBLISHED = {
  'Huawei Technologies Co., Ltd. (华为技术有限公司)': '914403001922038216',
  'Alibaba (China) Co., Ltd. (阿里巴巴（中国）有限公司)': '91330100716105852F',
  'Tencent Technology (Shenzhen) Co., Ltd. (腾讯科技（深圳）有限公司)': '9144030071526726XG',
  'Shenzhen Tencent Computer Systems Co., Ltd. (深圳市腾讯计算机系统有限公司)': '91440300708461136T',
  'Beijing Baidu Netcom Science and Technology Co., Ltd. (北京百度网讯科技有限公司)': '91110000802100433B',
  'Xiaomi Technology (北京小米科技有限责任公司)': '91110108551385082Q',
};

/** GB 32100-2015, Appendix: the standard's own worked example. */
const STANDARD_EXAMPLE = '91350100M000100Y43';

describe('USCC check (GB 32100-2015)', () => {
  it("accepts the standard's own example", () => {
    expect(usccProblem(STANDARD_EXAMPLE)).toBeNull();
    expect(usccCheckCharacter(STANDARD_EXAMPLE.slice(0, 17))).toBe('3');
  });

  it.each(Object.entries(PUBLISHED))('accepts the published code of %s', (_name, code) => {
    expect(usccProblem(code)).toBeNull();
  });

  it('detects every single-character substitution of a published code', () => {
    for (const code of [STANDARD_EXAMPLE, ...Object.values(PUBLISHED)]) {
      for (let i = 0; i < 18; i++) {
        for (const c of USCC_CHARSET) {
          if (c === code[i]) continue;
          const changed = code.slice(0, i) + c + code.slice(i + 1);
          // Positions 3-8 must stay digits; any other change must break the check character.
          expect(isValidUscc(changed)).toBe(false);
        }
      }
    }
  });

  it('names what is wrong', () => {
    expect(usccProblem('91350100M000100Y4')).toMatch(/18 characters/);
    expect(usccProblem('91350100M000100I43')).toMatch(/character 16 \('I'\) is not allowed/);
    expect(usccProblem('913501O0M000100Y43')).toMatch(/not allowed/);
    expect(usccProblem('9135A100M000100Y4A')).toMatch(/region code/);
    expect(usccProblem('91350100M000100Y44')).toMatch(/check character is '4', the code computes '3'/);
  });

  it('assertUscc upper-cases typed input and refuses a bad code with BAD_USER_INPUT naming the field', () => {
    expect(assertUscc(' 91350100m000100y43 ', 'uscc')).toBe(STANDARD_EXAMPLE);
    let error: unknown;
    try {
      assertUscc('91350100M000100Y44', 'input.targets[3].uscc');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.targets[3].uscc',
    });
    expect((error as GraphQLError).message).toContain('input.targets[3].uscc');
  });

  it('computes the GB 11714 organisation-code check character', () => {
    // The organisation code inside Huawei's USCC: 19220382-1.
    expect(organisationCodeCheck('19220382')).toBe('1');
    // Inside Tencent's: 71526726-X (a remainder of 10 is X).
    expect(organisationCodeCheck('71526726')).toBe('X');
  });

  it('the demo generator makes only valid, distinct codes', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const { uscc } = demoEntity('uscc-test', i);
      expect(usccProblem(uscc)).toBeNull();
      codes.add(uscc);
    }
    expect(codes.size).toBe(5000);
  });
});
