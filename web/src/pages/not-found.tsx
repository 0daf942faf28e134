export function NotFound() {
  return (
    <>
      <h1>页面不存在</h1>
      <p>
        您访问的地址没有对应的页面。<a href="/">返回首页</a>
      </p>
    </>
  );
}
