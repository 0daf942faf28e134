import 'reflect-metadata';
import { runDepartmentProcess } from '../kernel/department/main';
import { environment } from './index';

runDepartmentProcess(environment).catch((error) => {
  console.error(error);
  process.exit(1);
});
