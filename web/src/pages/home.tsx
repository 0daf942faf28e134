import { SearchForm } from '../components/search-form';

export function Home() {
  return (
    <>
      <section class="hero">
        <h1>部门联合抽查结果公示</h1>
        <p>
          按照“双随机、一公开”的要求，检查对象和执法检查人员均随机抽取，抽查结果向社会公开。在这里查询市场主体的抽查检查结果、年度抽查计划和摇号记录，或核验检查人员出示的检查码。
        </p>
        <SearchForm />
      </section>
      <section class="cards">
        <a class="card" href="/plans">
          <h2>年度抽查计划</h2>
          <p>各部门制定并公布的年度抽查工作计划、抽查事项及其依据、抽查任务和抽取记录。</p>
        </a>
        <a class="card" href="/code">
          <h2>检查码核验</h2>
          <p>检查人员上门时出示检查码：输入检查码即可核实这次检查是否真实登记、由谁检查、检查什么。</p>
        </a>
        <a class="card" href="/plans">
          <h2>摇号记录重演</h2>
          <p>每次抽取都公布随机数承诺、名录快照哈希和公开见证号码，任何人都能在浏览器中重演核验。</p>
        </a>
      </section>
    </>
  );
}
