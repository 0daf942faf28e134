import 'reflect-metadata';
import { runDepartmentProcess } from '../department-kernel/main';
import { environment } from './index';

runDepartmentProcess(environment).catch((error) => {
  console.error(error);
  process.exit(1);
});
